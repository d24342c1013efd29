//! The case's tamper-evident log: read from the host's log store, merged with what this page
//! logged meanwhile, appended to as the state changes, and handed back to be stored.
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock::beijing_now_seconds;
use super::Store;
use crate::state::{Action, State};

pub(super) const LOG_UNAVAILABLE: &str = "未接入本机日志存储：本案操作日志只保存在当前页面中，关闭页面前请导出日志";

pub(super) const LOG_NOT_STORED: &str =
    "操作日志未能保存到本机：此前已保存的记录不受影响，本次记录仍在当前页面中，请导出日志或清理浏览器存储";

/// Whether `e` is what opening a case logs: the pack version or the configuration.
pub(super) fn is_opening(e: &rules_core::LogEvent) -> bool {
    matches!(e, rules_core::LogEvent::PackVersion(_) | rules_core::LogEvent::ConfigApplied(_))
}

/// The opening events `state`'s log lacks: its pack version and configuration, when they differ
/// from the last ones logged.
pub(super) fn opening_events(state: &State) -> Vec<rules_core::LogEvent> {
    let Some(log) = state.log.as_deref() else { return Vec::new() };
    let pack = state.report.as_ref().map(|r| (r.view.pack.id.as_str(), r.view.pack.version.as_str()));
    let acks = &state.stored.acks;
    crate::engine::log_events(log, acks, acks, &[], pack, &state.config)
}

/// The time stamped on new log entries: now (Beijing, to the second), or the widget's clock.
pub(super) fn log_time(state: &State) -> Option<rules_core::Time> {
    rules_core::Time::parse(&beijing_now_seconds()).or_else(|_| rules_core::Time::parse(&state.now)).ok()
}

impl Store {
    pub(super) fn log_key(&self, case_id: &str) -> String {
        super::persist::Keys(&self.storage_prefix).log(case_id)
    }

    /// Calls `method` of the host's log store (the loader passes its IndexedDB module) and
    /// returns its result as a promise; `None` without a store or without that method.
    pub(super) fn log_call(&self, method: &str, a: &JsValue, b: Option<&JsValue>) -> Option<js_sys::Promise> {
        let store = self.log_store.as_ref()?;
        let f: js_sys::Function = js_sys::Reflect::get(store, &method.into()).ok()?.dyn_into().ok()?;
        let out = match b {
            Some(b) => f.call2(store, a, b),
            None => f.call1(store, a),
        };
        // A store that throws is a store that refused: the caller warns.
        Some(out.map_or_else(|e| js_sys::Promise::reject(&e), |v| js_sys::Promise::resolve(&v)))
    }

    /// Starts reading the case's stored log. Until it arrives the state holds a log of this
    /// page's events only, and nothing is written: writing then would start a second chain.
    pub(super) fn open_log(&self, state: State, case_id: &str) -> State {
        let gen = self.log_gen.get().wrapping_add(1);
        self.log_gen.set(gen);
        self.opening_held.set(false);
        let state = state
            .update(Action::SetLog(Some(Rc::new(rules_core::CaseLog::new(case_id)))))
            .update(Action::LogWarning(None));
        let Some(promise) = self.log_call("load", &self.log_key(case_id).into(), None) else {
            return state
                .update(Action::LogLoading(false))
                .update(Action::LogStorage(Some(LOG_UNAVAILABLE.to_owned())));
        };
        let weak = self.weak.borrow().clone();
        let id = case_id.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let out = wasm_bindgen_futures::JsFuture::from(promise).await;
            if let Some(s) = weak.upgrade().filter(|s| s.log_gen.get() == gen) {
                s.log_loaded(&id, out.as_ref().ok());
            }
        });
        state.update(Action::LogLoading(true)).update(Action::LogStorage(None))
    }

    /// Merges the stored log (`{entries, warning}` from the store) with what this page logged
    /// while it was read, and writes the result (which also moves an old localStorage copy
    /// into IndexedDB).
    pub(super) fn log_loaded(&self, case_id: &str, out: Option<&JsValue>) {
        let state = self.state();
        if state.case.as_ref().is_none_or(|c| c.id != case_id) {
            return;
        }
        let field = |k: &str| out.and_then(|o| js_sys::Reflect::get(o, &k.into()).ok()).and_then(|v| v.as_string());
        let (log, warning, hold) = merge_stored(&state, case_id, field("entries"), field("warning"), log_time(&state));
        self.opening_held.set(hold);
        let after = (*state)
            .clone()
            .update(Action::SetLog(Some(Rc::new(log))))
            .update(Action::LogWarning(warning))
            .update(Action::LogLoading(false));
        self.save_log(&after);
        *self.state.borrow_mut() = Rc::new(after);
        self.render();
        self.record_changed();
    }

    /// Hands the whole log to the store, which adds what it lacks; saves run in call order
    /// there, so the stored chain grows as the page's does. Its answer is the storage warning.
    pub(super) fn save_log(&self, state: &State) {
        let Some(log) = state.log.as_deref() else { return };
        let Ok(text) = serde_json::to_string(log) else { return };
        let Some(promise) = self.log_call("save", &self.log_key(&log.case_id).into(), Some(&text.into())) else {
            return;
        };
        let gen = self.log_gen.get();
        let weak = self.weak.borrow().clone();
        wasm_bindgen_futures::spawn_local(async move {
            let warning = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(v) => v.as_string(),
                Err(_) => Some(LOG_NOT_STORED.to_owned()),
            };
            if let Some(s) = weak.upgrade().filter(|s| s.log_gen.get() == gen) {
                if s.state().log_storage != warning {
                    s.dispatch(Action::LogStorage(warning));
                }
            }
        });
    }

    /// Appends `events` to the case's log in the page and, once the stored log is merged,
    /// hands it to the store.
    pub(super) fn append_log(&self, state: State, case_id: &str, events: Vec<rules_core::LogEvent>) -> State {
        if events.is_empty() {
            return state;
        }
        let events = if self.opening_held.get() && !state.log_loading {
            // What opening logs stays held until something else happens; then it goes first.
            let action: Vec<rules_core::LogEvent> = events.into_iter().filter(|e| !is_opening(e)).collect();
            if action.is_empty() {
                return state;
            }
            self.opening_held.set(false);
            let mut all = opening_events(&state);
            all.extend(action);
            all
        } else {
            events
        };
        let mut log = state
            .log
            .as_deref()
            .filter(|l| l.case_id == case_id)
            .cloned()
            .unwrap_or_else(|| rules_core::CaseLog::new(case_id));
        let Some(at) = log_time(&state) else { return state };
        for e in events {
            log.append(at, e);
        }
        let state = state.update(Action::SetLog(Some(Rc::new(log))));
        if !state.log_loading {
            self.save_log(&state);
        }
        state
    }

    /// `after` with its case's log read (on a case change) and the events of this change added.
    pub(super) fn logged(&self, mut after: State, before: &State, case_id: Option<&str>, new_case: bool) -> State {
        let Some(id) = case_id else {
            if after.log.is_none() {
                return after;
            }
            // No case, no log: a read still under way is for a case no longer shown.
            self.log_gen.set(self.log_gen.get().wrapping_add(1));
            return after
                .update(Action::SetLog(None))
                .update(Action::LogWarning(None))
                .update(Action::LogStorage(None))
                .update(Action::LogLoading(false));
        };
        if new_case {
            after = self.open_log(after, id);
        }
        let Some(log) = after.log.clone() else { return after };
        let pack = after.report.as_ref().map(|r| (r.view.pack.id.clone(), r.view.pack.version.clone()));
        let media = after.media.clone().unwrap_or_default();
        let acks_before = if new_case { &after.stored.acks } else { &before.stored.acks };
        let events = crate::engine::log_events(
            &log,
            acks_before,
            &after.stored.acks,
            &media,
            pack.as_ref().map(|(i, v)| (i.as_str(), v.as_str())),
            &after.config,
        );
        if new_case && !after.log_loading && !events.is_empty() && events.iter().all(is_opening) {
            // No stored log to read (no log store): what opening logs is held as after a read.
            self.opening_held.set(true);
            return after;
        }
        self.append_log(after, id, events)
    }

    /// Logs events outside a state change (submit attempts), and redraws.
    pub(super) fn log_now(&self, events: Vec<rules_core::LogEvent>) {
        let state = self.state();
        let Some(id) = state.case.as_ref().map(|c| c.id.clone()) else { return };
        let after = self.append_log((*state).clone(), &id, events);
        *self.state.borrow_mut() = Rc::new(after);
        self.render();
        self.record_changed();
    }

    /// The log of the current case as an exported file (JSON); `None` without a case, or while
    /// the stored log is still being read (the page's part alone would look truncated).
    pub fn export_log(&self) -> Option<String> {
        let state = self.state();
        state.log.as_ref().filter(|_| !state.log_loading).map(|l| l.to_json())
    }
}

/// The stored log (`entries`, JSON text, and the store's `warning`) merged with what this page
/// logged while it was read, what is wrong with it, and whether what opening the case logs is
/// held back (nothing of the officer's yet: see `Store::opening_held`). Events of this page are
/// stamped at their own times; those worked out again (pack, config, media) at the page's first
/// entry, else at `now`.
pub(super) fn merge_stored(
    state: &State,
    case_id: &str,
    entries: Option<String>,
    warning: Option<String>,
    now: Option<rules_core::Time>,
) -> (rules_core::CaseLog, Option<String>, bool) {
    let mut warnings: Vec<String> = warning.into_iter().collect();
    let text = entries.unwrap_or_else(|| "[]".to_owned());
    let entries = rules_core::json_from_str::<Vec<rules_core::LogEntry>>(&text).unwrap_or_else(|e| {
        warnings
            .push(format!("本机保存的操作日志无法读取（{e}）：原记录未改动，新的记录另行保存，请导出日志并报告法制科"));
        Vec::new()
    });
    let mut log = rules_core::CaseLog::from_entries(case_id, entries);
    if let Err(b) = log.verify() {
        warnings.push(format!(
            "本机保存的操作日志未通过链式校验：第 {} 条{}。请勿继续依赖此日志，并报告法制科",
            b.index + 1,
            b.reason.zh()
        ));
    }
    // Pack, config and media events are worked out again against the stored log (they
    // may be there already); the officer's ticks and submits of this page follow in order.
    let page = state.log.as_deref().filter(|l| l.case_id == case_id).map(|l| l.entries.as_slice());
    let pack = state.report.as_ref().map(|r| (r.view.pack.id.as_str(), r.view.pack.version.as_str()));
    let media = state.media.clone().unwrap_or_default();
    let acks = &state.stored.acks;
    let derived = crate::engine::log_events(&log, acks, acks, &media, pack, &state.config);
    use rules_core::LogEvent as E;
    let own: Vec<&rules_core::LogEntry> = page
        .unwrap_or_default()
        .iter()
        .filter(|e| !matches!(e.event, E::PackVersion(_) | E::ConfigApplied(_) | E::MediaHashed(_)))
        .collect();
    // Nothing of the officer's yet (files hashed on this PC are): what opening the case logs
    // waits.
    let hold = own.is_empty() && !derived.is_empty() && derived.iter().all(is_opening);
    if let Some(at) = page.and_then(|p| p.first()).map(|e| e.at).or(now) {
        for e in derived.into_iter().filter(|_| !hold) {
            log.append(at, e);
        }
    }
    for e in own {
        log.append(e.at, e.event.clone());
    }
    let warning = (!warnings.is_empty()).then(|| warnings.join("；"));
    (log, warning, hold)
}
