//! Hooks shared by the components.
mod use_focus_on_mount;
mod use_widget;

pub use use_focus_on_mount::use_focus_on_mount;
pub use use_widget::{use_widget, MediaRequest, WidgetContext};
