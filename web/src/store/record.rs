//! The case's checklist record: handed to the platform as it changes, and merged with the
//! record the platform gives.
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::log::log_time;
use super::persist::stored_or_warned;
use super::{RecordOutcome, Store};
use crate::state::{Action, State};

impl Store {
    /// `state` with the files known from records listed beside this machine's (a file hashed
    /// here too is listed once, as this machine's).
    pub(super) fn with_foreign(&self, state: State) -> State {
        let local: Vec<crate::media::MediaEntry> = state
            .media
            .as_deref()
            .map(|m| m.iter().filter(|e| !e.id.starts_with(crate::record::FOREIGN_PREFIX)).cloned().collect())
            .unwrap_or_default();
        let case_id = state.case.as_ref().map(|c| c.id.clone());
        let entries = self.media_with_foreign(local);
        state.update(Action::SetMedia { case_id, entries })
    }

    /// `entries` (this machine's files, as the loader's hashing reports them) and, after them,
    /// the files known only from the platform's record.
    pub fn media_with_foreign(&self, mut entries: Vec<crate::media::MediaEntry>) -> Vec<crate::media::MediaEntry> {
        let foreign: Vec<crate::media::MediaEntry> = self
            .foreign_media
            .borrow()
            .iter()
            .filter(|d| !crate::record::is_listed(d, &entries))
            .map(crate::record::entry_of)
            .collect();
        entries.extend(foreign);
        entries
    }

    /// The checklist record of the case shown (JSON), with every acknowledgment logged first;
    /// `None` without a case or while its stored log is read.
    pub fn checklist_record(&self) -> Option<String> {
        self.log_unlogged_acks();
        let state = self.state();
        crate::record::record_of(&state, &self.foreign_media.borrow()).map(|r| r.to_json())
    }

    /// Logs acknowledgments kept here that the log lacks (from before the log kept them).
    pub(super) fn log_unlogged_acks(&self) {
        let state = self.state();
        if state.log_loading {
            return;
        }
        let events = crate::record::unlogged_acks(&state);
        if !events.is_empty() {
            self.log_now(events);
        }
    }

    /// Sends `record-change` with the whole record when it differs from the last one sent, and
    /// merges a record the platform gave once the case and its stored log are there.
    pub(super) fn record_changed(&self) {
        let ready = {
            let s = self.state();
            s.case.is_some() && !s.log_loading && s.log.is_some()
        };
        if !ready {
            return;
        }
        let pending = self.pending_record.borrow_mut().take();
        if let Some(p) = pending {
            // Its outcome is shown in the widget (a refusal, conflicts); the caller was told
            // it was pending.
            let _ = self.set_record(p);
            return;
        }
        let state = self.state();
        // A reviewer reads the record: what the review page itself logs is not handed on.
        // Nor is one before anything happened here (see `opening_held`).
        if state.review || self.opening_held.get() {
            return;
        }
        let Some(record) = crate::record::record_of(&state, &self.foreign_media.borrow()) else { return };
        if self.last_record.borrow().as_ref() == Some(&record) {
            return;
        }
        let detail = js_sys::JSON::parse(&serde_json::to_string(&record).unwrap_or_default()).unwrap_or(JsValue::NULL);
        *self.last_record.borrow_mut() = Some(record);
        self.emit("record-change", detail);
    }

    /// Takes the checklist record the platform stored for the case (JSON text, or why it could
    /// not be read) and merges it with this machine's: nothing of either is lost (see
    /// `rules_core::ChecklistRecord::merge`). A record of another case, of another version,
    /// malformed, or whose log does not verify is refused with a notice; this machine's copy
    /// is kept as it is.
    pub fn set_record(&self, text: Result<String, String>) -> RecordOutcome {
        let state = self.state();
        let Some(case_id) = state.case.as_ref().map(|c| c.id.clone()) else {
            *self.pending_record.borrow_mut() = Some(text);
            return RecordOutcome::Pending;
        };
        if state.log_loading || state.log.is_none() {
            *self.pending_record.borrow_mut() = Some(text);
            return RecordOutcome::Pending;
        }
        let refuse = |why: String| {
            // Said of a record the platform passed and of a file an officer imported alike.
            let msg = format!(
                "收到的清单记录已被拒绝：{why}。本机记录保持不变，请向提供记录的平台或人员核实，必要时联系法制科"
            );
            self.dispatch(Action::RecordNotice(Some(msg.clone())));
            RecordOutcome::Refused(msg)
        };
        let given = match text
            .map_err(|e| format!("无法读取（{e}）"))
            .and_then(|t| rules_core::ChecklistRecord::from_json_for(&t, &case_id).map_err(|e| e.zh()))
        {
            Ok(r) => r,
            Err(why) => return refuse(why),
        };
        self.log_unlogged_acks();
        let state = self.state();
        let Some(local) = crate::record::record_of(&state, &self.foreign_media.borrow()) else {
            *self.pending_record.borrow_mut() = Some(Ok(given.to_json()));
            return RecordOutcome::Pending;
        };
        let Some(at) = log_time(&state) else { return refuse("本机时钟无效".to_owned()) };
        let merged = match local.merge(&given, at) {
            Ok(m) => m,
            // The given record checked above: what fails is this machine's own copy.
            Err(e) => return refuse(format!("本机记录未通过校验（{}），未合并", e.zh())),
        };
        let record = merged.record;
        let local_media: Vec<crate::media::MediaEntry> = state
            .media
            .as_deref()
            .map(|m| m.iter().filter(|e| !e.id.starts_with(crate::record::FOREIGN_PREFIX)).cloned().collect())
            .unwrap_or_default();
        *self.foreign_media.borrow_mut() =
            record.media.iter().filter(|d| !crate::record::is_listed(d, &local_media)).cloned().collect();
        if let Some(s) = Self::storage() {
            if let Ok(text) = serde_json::to_string(&*self.foreign_media.borrow()) {
                let _ = s.set_item(&self.foreign_key(&case_id), &text);
            }
        }
        let stored = crate::record::stored_of(&record);
        // The platform's signature comes with the entries: the print view shows it.
        let log = rules_core::CaseLog {
            signature: record.log.signature.clone(),
            ..rules_core::CaseLog::from_entries(&case_id, record.log.entries.clone())
        };
        // Straight into the state, not through `dispatch`: the other side's acknowledgments
        // are in the merged log already, and logging them again as this page's would not be true.
        let mut after = (*state)
            .clone()
            .update(Action::SetLog(Some(Rc::new(log))))
            .update(Action::Restore(stored))
            .update(Action::RecordNotice(crate::record::conflicts_notice(&merged.conflicts)));
        after = self.with_foreign(after);
        if self.opening_held.replace(false) {
            // What opening logs, after the record and only where the record lacks it.
            let events = super::log::opening_events(&after);
            if let (Some(log), Some(at), false) = (after.log.as_deref(), log_time(&after), events.is_empty()) {
                let mut log = log.clone();
                for e in events {
                    log.append(at, e);
                }
                after = after.update(Action::SetLog(Some(Rc::new(log))));
            }
        }
        let saved = self.save(&case_id, &after.stored);
        after = stored_or_warned(after, saved);
        self.save_log(&after);
        let changed = state.report != after.report || state.problem != after.problem;
        let after = Rc::new(after);
        *self.state.borrow_mut() = after.clone();
        self.render();
        if changed {
            self.emit("report-change", self.report_js(&after));
        }
        self.record_changed();
        RecordOutcome::Merged(merged.conflicts)
    }
}
