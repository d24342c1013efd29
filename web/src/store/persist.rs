//! What the widget keeps in the browser's localStorage: the officer's acknowledgments and
//! reasons per case, the administrator's local config, and files known from other PCs.
use super::Store;
use crate::state::{Action, State, Stored};

pub(super) const NOT_STORED: &str = "本机存储不可用（浏览器禁止或空间已满）：本页的人工确认、提交理由和本机配置只保存在当前页面中，刷新或关闭页面后需要重新填写";

/// `state` with the storage warning raised when what it holds could not be stored, and dropped
/// once storing works again.
pub(super) fn stored_or_warned(state: State, stored: bool) -> State {
    match (stored, state.storage_warning.is_some()) {
        (false, false) => state.update(Action::StorageWarning(Some(NOT_STORED.to_owned()))),
        (true, true) => state.update(Action::StorageWarning(None)),
        _ => state,
    }
}

/// Where each thing is kept under the widget's storage prefix. Officers' browsers hold data
/// under these keys: changing one loses what was kept.
pub(super) struct Keys<'a>(pub(super) &'a str);

impl Keys<'_> {
    /// The officer's acknowledgments and reasons for a case (localStorage).
    pub(super) fn case(&self, case_id: &str) -> String {
        format!("{}{}", self.0, case_id)
    }

    /// The case's log (the host's log store; localStorage in earlier versions).
    pub(super) fn log(&self, case_id: &str) -> String {
        format!("{}{}#log", self.0, case_id)
    }

    /// Files of a case known from other PCs' checklist records (localStorage).
    pub(super) fn record_media(&self, case_id: &str) -> String {
        format!("{}{}#record-media", self.0, case_id)
    }

    /// The administrator's local config (localStorage).
    pub(super) fn local_config(&self) -> String {
        format!("{}admin-config", self.0)
    }
}

impl Store {
    pub(super) fn storage_key(&self, case_id: &str) -> String {
        Keys(&self.storage_prefix).case(case_id)
    }

    pub(super) fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub(super) fn load(&self, case_id: &str) -> Stored {
        Self::storage()
            .and_then(|s| s.get_item(&self.storage_key(case_id)).ok().flatten())
            .and_then(|text| rules_core::json_from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Whether `stored` is now kept on this machine. A full or disabled storage must not break
    /// the widget: the state still holds it, and the officer is told it will not outlive the page.
    pub(super) fn save(&self, case_id: &str, stored: &Stored) -> bool {
        match (Self::storage(), serde_json::to_string(stored)) {
            (Some(s), Ok(text)) => s.set_item(&self.storage_key(case_id), &text).is_ok(),
            _ => false,
        }
    }

    pub(super) fn local_config_key(&self) -> String {
        Keys(&self.storage_prefix).local_config()
    }

    pub(super) fn load_local_config(&self) -> Option<rules_core::Config> {
        let text = Self::storage()?.get_item(&self.local_config_key()).ok().flatten()?;
        crate::engine::parse_config(&text).ok()
    }

    /// Whether the local config is now kept on this machine (as [`Store::save`]).
    pub(super) fn save_local_config(&self, config: Option<&rules_core::Config>) -> bool {
        let Some(s) = Self::storage() else { return false };
        match config {
            Some(c) => s.set_item(&self.local_config_key(), &crate::engine::config_file(c)),
            None => s.remove_item(&self.local_config_key()),
        }
        .is_ok()
    }

    pub(super) fn foreign_key(&self, case_id: &str) -> String {
        Keys(&self.storage_prefix).record_media(case_id)
    }

    pub(super) fn load_foreign(&self, case_id: &str) -> Vec<rules_core::MediaDigest> {
        Self::storage()
            .and_then(|s| s.get_item(&self.foreign_key(case_id)).ok().flatten())
            .and_then(|text| rules_core::json_from_str(&text).ok())
            .unwrap_or_default()
    }
}
