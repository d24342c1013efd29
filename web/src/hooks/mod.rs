//! Hooks shared by the components.
mod use_file_import;
mod use_modal;
mod use_near_screen;
mod use_rule_rows;
mod use_widget;

pub use use_file_import::use_file_import;
pub use use_modal::use_modal;
pub use use_near_screen::{has_content_visibility, use_near_screen};
pub use use_rule_rows::use_rule_rows;
pub use use_widget::{use_widget, MediaRequest, WidgetContext};
