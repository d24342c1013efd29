//! Hooks shared by the components.
mod use_file_import;
mod use_focus_on_mount;
mod use_rule_rows;
mod use_widget;

pub use use_file_import::use_file_import;
pub use use_focus_on_mount::use_focus_on_mount;
pub use use_rule_rows::use_rule_rows;
pub use use_widget::{use_widget, MediaRequest, WidgetContext};
