//! One component per file; each renders what it is given and sends actions, nothing more.
mod ack_form;
mod admin_panel;
mod change_log;
mod citation;
mod config_files;
mod config_footer;
mod confirm_button;
mod error_box;
mod guard_modal;
mod item_row;
mod lazy_item_row;
mod list_tools;
mod media_panel;
mod media_summary;
mod open_items;
mod print_view;
mod review_panel;
mod rule_table;
mod step_section;
mod summary;

pub use ack_form::{AckForm, AckFormProps};
pub use admin_panel::{AdminPanel, AdminPanelProps};
pub use change_log::{ChangeLog, ChangeLogProps};
pub use citation::{Citation, CitationProps};
pub use config_files::{ConfigFiles, ConfigFilesProps};
pub use config_footer::{ConfigFooter, ConfigFooterProps};
pub use confirm_button::{ConfirmButton, ConfirmButtonProps};
pub use error_box::{ErrorBox, ErrorBoxProps};
pub use guard_modal::{GuardModal, GuardModalProps};
pub use item_row::{ItemRow, ItemRowProps};
pub use lazy_item_row::LazyItemRow;
pub use list_tools::ListTools;
pub use media_panel::{MediaPanel, MediaPanelProps};
pub use media_summary::{MediaSummary, MediaSummaryProps};
pub use open_items::{OpenItems, OpenItemsProps};
pub use print_view::{PrintView, PrintViewProps};
pub use review_panel::ReviewPanel;
pub use rule_table::{RulePreview, RulePreviewProps, RuleTable, RuleTableProps};
pub use step_section::{StepSection, StepSectionProps};
pub use summary::{Summary, SummaryProps};

/// A DOM id made from an item key (`rule@target` may hold characters ids should not).
pub fn dom_id(prefix: &str, key: &str) -> String {
    let safe: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{prefix}-{safe}")
}
