//! The store: holds the state, runs the reducer, and applies the side effects the reducer
//! must not have — storage, host events, the held submit, re-rendering.
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use gloo_timers::callback::Interval;
use rules_core::UncheckedPolicy;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::{AppHandle, Callback};

use crate::app::{App, AppProps};
use crate::hooks::MediaRequest;

use crate::state::{Action, Decision, GuardKind, State, Stored};

/// The submit the guard held while the officer types a reason.
struct Held {
    target: web_sys::Element,
    submitter: Option<web_sys::HtmlElement>,
}

/// One mounted widget.
pub struct Store {
    host: web_sys::Element,
    state: RefCell<Rc<State>>,
    app: RefCell<Option<AppHandle<App>>>,
    /// Where the widget renders, until [`Store::show`] renders it there.
    root: RefCell<Option<web_sys::Element>>,
    weak: RefCell<Weak<Store>>,
    storage_prefix: String,
    fixed_now: Cell<bool>,
    /// The `guardSubmit` listeners: each removes itself from the document when dropped, on
    /// unmount or when the widget is dropped without one.
    guards: RefCell<Vec<EventListener>>,
    held: RefCell<Option<Held>>,
    bypass: Cell<bool>,
    /// Whether `checklist-ready` was sent: the widget can decide and guards a submit.
    announced: Cell<bool>,
    /// Submits the page's early guard let through before the widget could check them, waiting
    /// for a case to be logged with.
    unchecked: RefCell<Vec<UncheckedSubmit>>,
    /// The clock; cleared when dropped.
    timer: RefCell<Option<Interval>>,
    /// The host's log store (`{load(key), save(key, text)}`, the loader's IndexedDB module).
    log_store: Option<JsValue>,
    /// Counts case changes: answers from the log store for an earlier case are dropped.
    log_gen: Cell<u32>,
    /// Digests of files hashed on other PCs, known from the platform's checklist record (kept
    /// in localStorage with the case for work offline).
    foreign_media: RefCell<Vec<rules_core::MediaDigest>>,
    /// A record the platform gave before the case, or while the stored log was read: merged
    /// once both are there.
    pending_record: RefCell<Option<Result<String, String>>>,
    /// The record last handed to the platform in `record-change`.
    last_record: RefCell<Option<rules_core::ChecklistRecord>>,
}

/// What became of a checklist record the platform gave.
#[derive(Debug)]
pub enum RecordOutcome {
    /// Kept until the case (or its stored log) is there.
    Pending,
    /// Merged with the local copy; the items two people confirmed differently.
    Merged(Vec<rules_core::AckConflict>),
    /// Refused: why (Chinese), and the error code.
    Refused(String),
}

const LOG_UNAVAILABLE: &str = "未接入本机日志存储：本案操作日志只保存在当前页面中，关闭页面前请导出日志";
const NOT_STORED: &str = "本机存储不可用（浏览器禁止或空间已满）：本页的人工确认、提交理由和本机配置只保存在当前页面中，刷新或关闭页面后需要重新填写";
const LOG_NOT_STORED: &str =
    "操作日志未能保存到本机：此前已保存的记录不受影响，本次记录仍在当前页面中，请导出日志或清理浏览器存储";

/// `state` with the storage warning raised when what it holds could not be stored, and dropped
/// once storing works again.
fn stored_or_warned(state: State, stored: bool) -> State {
    match (stored, state.storage_warning.is_some()) {
        (false, false) => state.reduce(Action::StorageWarning(Some(NOT_STORED.to_owned()))),
        (true, true) => state.reduce(Action::StorageWarning(None)),
        _ => state,
    }
}

/// The time stamped on new log entries: now (Beijing, to the second), or the widget's clock.
fn log_time(state: &State) -> Option<rules_core::Time> {
    rules_core::Time::parse(&beijing_now_seconds()).or_else(|_| rules_core::Time::parse(&state.now)).ok()
}

/// Current Beijing civil time to the second, `YYYY-MM-DDTHH:MM:SS`, for log entries.
fn beijing_now_seconds() -> String {
    let ms = js_sys::Date::now() + 8.0 * 3_600_000.0;
    let iso: String = js_sys::Date::new(&JsValue::from_f64(ms)).to_iso_string().into();
    iso.get(..19).unwrap_or_default().to_string()
}

/// Current Beijing civil time, `YYYY-MM-DDTHH:MM`.
pub fn beijing_now() -> String {
    let ms = js_sys::Date::now() + 8.0 * 3_600_000.0;
    let iso: String = js_sys::Date::new(&JsValue::from_f64(ms)).to_iso_string().into();
    iso.get(..16).unwrap_or_default().to_string()
}

impl Store {
    /// The widget's store for `root` (inside the host's shadow root); [`Store::show`] renders it.
    pub fn start(
        host: web_sys::Element,
        root: web_sys::Element,
        storage_prefix: String,
        now: Option<String>,
        log_store: Option<JsValue>,
    ) -> Rc<Store> {
        let fixed = now.is_some();
        let store = Rc::new(Store {
            host,
            state: RefCell::new(Rc::new(State::new(now.unwrap_or_else(beijing_now)))),
            app: RefCell::new(None),
            root: RefCell::new(None),
            weak: RefCell::new(Weak::new()),
            storage_prefix,
            fixed_now: Cell::new(fixed),
            guards: RefCell::new(Vec::new()),
            held: RefCell::new(None),
            bypass: Cell::new(false),
            announced: Cell::new(false),
            unchecked: RefCell::new(Vec::new()),
            timer: RefCell::new(None),
            log_store,
            log_gen: Cell::new(0),
            foreign_media: RefCell::new(Vec::new()),
            pending_record: RefCell::new(None),
            last_record: RefCell::new(None),
        });
        *store.weak.borrow_mut() = Rc::downgrade(&store);
        *store.root.borrow_mut() = Some(root);
        store.start_clock();
        store
    }

    /// Renders the widget for the first time. The mount options are dispatched before this:
    /// the widget is then built once, with all of them, rather than once per option.
    pub fn show(&self) {
        if let Some(root) = self.root.borrow_mut().take() {
            let props = self.props();
            *self.app.borrow_mut() = Some(yew::Renderer::<App>::with_root_and_props(root, props).render());
        }
    }

    fn props(&self) -> AppProps {
        let weak = self.weak.borrow().clone();
        let weak_request = weak.clone();
        AppProps {
            state: self.state(),
            dispatch: Callback::from(move |a: Action| {
                if let Some(s) = weak.upgrade() {
                    s.dispatch(a);
                }
            }),
            request: Callback::from(move |r: MediaRequest| {
                if let Some(s) = weak_request.upgrade() {
                    s.media_request(r);
                }
            }),
        }
    }

    /// The current state.
    pub fn state(&self) -> Rc<State> {
        self.state.borrow().clone()
    }

    /// Runs one action and its side effects.
    pub fn dispatch(&self, action: Action) {
        let before = self.state();
        let mut after = (*before).clone().reduce(action);
        let new_case = after.case.as_ref().map(|c| c.id.clone());
        let old_case = before.case.as_ref().map(|c| c.id.clone());
        if new_case != old_case {
            *self.foreign_media.borrow_mut() = new_case.as_deref().map(|id| self.load_foreign(id)).unwrap_or_default();
            if let Some(id) = new_case.as_deref() {
                let stored = self.load(id);
                if stored != after.stored {
                    after = after.reduce(Action::Restore(stored));
                }
                if !self.foreign_media.borrow().is_empty() {
                    after = self.with_foreign(after);
                }
            }
        } else if before.stored != after.stored {
            if let Some(id) = new_case.as_deref() {
                let stored = self.save(id, &after.stored);
                after = stored_or_warned(after, stored);
            }
        }
        if after.admin.is_some() && before.admin.is_none() {
            if let Some(c) = self.load_local_config() {
                after = after.reduce(Action::RestoreLocalConfig(Rc::new(c)));
            }
        } else if after.admin.is_some() && before.local_config != after.local_config {
            let stored = self.save_local_config(after.local_config.as_deref());
            after = stored_or_warned(after, stored);
        }
        let after = Rc::new(self.logged(after, &before, new_case.as_deref(), new_case != old_case));
        // The borrow ends here: host event handlers below may call back into the store.
        *self.state.borrow_mut() = after.clone();
        self.render();
        if before.report != after.report || before.problem != after.problem {
            self.emit("report-change", self.report_js(&after));
        }
        self.announce_ready();
        self.log_unchecked();
        if after.releases > before.releases {
            self.release();
        }
        if new_case != old_case {
            let detail = js_sys::Object::new();
            let _ =
                js_sys::Reflect::set(&detail, &"caseId".into(), &new_case.map(JsValue::from).unwrap_or(JsValue::NULL));
            self.emit("case-change", detail.into());
        }
        self.record_changed();
    }

    /// Passes the officer's file request to the loader's hashing as a `media-request` event:
    /// `{caseId, action, item, entry, sha256, files}`. The files stay in this page.
    fn media_request(&self, r: MediaRequest) {
        let detail = js_sys::Object::new();
        let case_id = self.state().case.as_ref().map(|c| JsValue::from(c.id.as_str())).unwrap_or(JsValue::NULL);
        let opt = |v: Option<String>| v.map(JsValue::from).unwrap_or(JsValue::NULL);
        let _ = js_sys::Reflect::set(&detail, &"caseId".into(), &case_id);
        let _ = js_sys::Reflect::set(&detail, &"action".into(), &r.action.into());
        let _ = js_sys::Reflect::set(&detail, &"item".into(), &opt(r.item));
        let _ = js_sys::Reflect::set(&detail, &"entry".into(), &opt(r.entry));
        let _ = js_sys::Reflect::set(&detail, &"sha256".into(), &opt(r.sha256));
        let _ = js_sys::Reflect::set(&detail, &"files".into(), &r.files.map(JsValue::from).unwrap_or(JsValue::NULL));
        self.emit("media-request", detail.into());
    }

    fn render(&self) {
        let props = self.props();
        if let Some(app) = self.app.borrow_mut().as_mut() {
            app.update(props);
        }
    }

    /// The report (or the problem) as the host reads it: `{type: "success", report}` or
    /// `{type: "failure", error: {code, message}}`.
    pub fn report_js(&self, state: &State) -> JsValue {
        let text = match (&state.report, &state.problem) {
            (Some(r), None) => format!(r#"{{"type":"success","report":{}}}"#, r.json),
            (_, Some(p)) => {
                serde_json::json!({"type": "failure", "error": {"code": code(p), "message": p.message()}}).to_string()
            }
            (None, None) => r#"{"type":"failure","error":{"code":"no-case","message":"尚未提供案件数据"}}"#.to_string(),
        };
        js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
    }

    fn emit(&self, name: &str, detail: JsValue) {
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = self.host.dispatch_event(&ev);
        }
    }

    fn storage_key(&self, case_id: &str) -> String {
        format!("{}{}", self.storage_prefix, case_id)
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn log_key(&self, case_id: &str) -> String {
        format!("{}{}#log", self.storage_prefix, case_id)
    }

    /// Calls `method` of the host's log store (the loader passes its IndexedDB module) and
    /// returns its result as a promise; `None` without a store or without that method.
    fn log_call(&self, method: &str, a: &JsValue, b: Option<&JsValue>) -> Option<js_sys::Promise> {
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
    fn open_log(&self, state: State, case_id: &str) -> State {
        let gen = self.log_gen.get().wrapping_add(1);
        self.log_gen.set(gen);
        let state = state
            .reduce(Action::SetLog(Some(Rc::new(rules_core::CaseLog::new(case_id)))))
            .reduce(Action::LogWarning(None));
        let Some(promise) = self.log_call("load", &self.log_key(case_id).into(), None) else {
            return state
                .reduce(Action::LogLoading(false))
                .reduce(Action::LogStorage(Some(LOG_UNAVAILABLE.to_owned())));
        };
        let weak = self.weak.borrow().clone();
        let id = case_id.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let out = wasm_bindgen_futures::JsFuture::from(promise).await;
            if let Some(s) = weak.upgrade().filter(|s| s.log_gen.get() == gen) {
                s.log_loaded(&id, out.as_ref().ok());
            }
        });
        state.reduce(Action::LogLoading(true)).reduce(Action::LogStorage(None))
    }

    /// Merges the stored log (`{entries, warning}` from the store) with what this page logged
    /// while it was read, and writes the result (which also moves an old localStorage copy
    /// into IndexedDB).
    fn log_loaded(&self, case_id: &str, out: Option<&JsValue>) {
        let state = self.state();
        if state.case.as_ref().is_none_or(|c| c.id != case_id) {
            return;
        }
        let field = |k: &str| out.and_then(|o| js_sys::Reflect::get(o, &k.into()).ok()).and_then(|v| v.as_string());
        let mut warnings: Vec<String> = field("warning").into_iter().collect();
        let text = field("entries").unwrap_or_else(|| "[]".to_owned());
        let entries = rules_core::json_from_str::<Vec<rules_core::LogEntry>>(&text).unwrap_or_else(|e| {
            warnings.push(format!(
                "本机保存的操作日志无法读取（{e}）：原记录未改动，新的记录另行保存，请导出日志并报告法制科"
            ));
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
        if let Some(at) = page.and_then(|p| p.first()).map(|e| e.at).or_else(|| log_time(&state)) {
            for e in derived {
                log.append(at, e);
            }
        }
        for e in page.unwrap_or_default() {
            use rules_core::LogEvent as E;
            if !matches!(e.event, E::PackVersion(_) | E::ConfigApplied(_) | E::MediaHashed(_)) {
                log.append(e.at, e.event.clone());
            }
        }
        let warning = (!warnings.is_empty()).then(|| warnings.join("；"));
        let after = (*state)
            .clone()
            .reduce(Action::SetLog(Some(Rc::new(log))))
            .reduce(Action::LogWarning(warning))
            .reduce(Action::LogLoading(false));
        self.save_log(&after);
        *self.state.borrow_mut() = Rc::new(after);
        self.render();
        self.record_changed();
    }

    /// Hands the whole log to the store, which adds what it lacks; saves run in call order
    /// there, so the stored chain grows as the page's does. Its answer is the storage warning.
    fn save_log(&self, state: &State) {
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
    fn append_log(&self, state: State, case_id: &str, events: Vec<rules_core::LogEvent>) -> State {
        if events.is_empty() {
            return state;
        }
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
        let state = state.reduce(Action::SetLog(Some(Rc::new(log))));
        if !state.log_loading {
            self.save_log(&state);
        }
        state
    }

    /// `after` with its case's log read (on a case change) and the events of this change added.
    fn logged(&self, mut after: State, before: &State, case_id: Option<&str>, new_case: bool) -> State {
        let Some(id) = case_id else {
            if after.log.is_none() {
                return after;
            }
            // No case, no log: a read still under way is for a case no longer shown.
            self.log_gen.set(self.log_gen.get().wrapping_add(1));
            return after
                .reduce(Action::SetLog(None))
                .reduce(Action::LogWarning(None))
                .reduce(Action::LogStorage(None))
                .reduce(Action::LogLoading(false));
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
        self.append_log(after, id, events)
    }

    /// Logs events outside a state change (submit attempts), and redraws.
    fn log_now(&self, events: Vec<rules_core::LogEvent>) {
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

    fn foreign_key(&self, case_id: &str) -> String {
        format!("{}{}#record-media", self.storage_prefix, case_id)
    }

    fn load_foreign(&self, case_id: &str) -> Vec<rules_core::MediaDigest> {
        Self::storage()
            .and_then(|s| s.get_item(&self.foreign_key(case_id)).ok().flatten())
            .and_then(|text| rules_core::json_from_str(&text).ok())
            .unwrap_or_default()
    }

    /// `state` with the files known from records listed beside this machine's (a file hashed
    /// here too is listed once, as this machine's).
    fn with_foreign(&self, state: State) -> State {
        let local: Vec<crate::media::MediaEntry> = state
            .media
            .as_deref()
            .map(|m| m.iter().filter(|e| !e.id.starts_with(crate::record::FOREIGN_PREFIX)).cloned().collect())
            .unwrap_or_default();
        let case_id = state.case.as_ref().map(|c| c.id.clone());
        let entries = self.media_with_foreign(local);
        state.reduce(Action::SetMedia { case_id, entries })
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
    fn log_unlogged_acks(&self) {
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
    fn record_changed(&self) {
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
        if state.review {
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
            let msg = format!("平台提供的清单记录已被拒绝：{why}。本机记录保持不变，请联系平台管理员或法制科");
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
        let log = rules_core::CaseLog::from_entries(&case_id, record.log.entries.clone());
        // Straight into the state, not through `dispatch`: the other side's acknowledgments
        // are in the merged log already, and logging them again as this page's would not be true.
        let mut after = (*state)
            .clone()
            .reduce(Action::SetLog(Some(Rc::new(log))))
            .reduce(Action::Restore(stored))
            .reduce(Action::RecordNotice(crate::record::conflicts_notice(&merged.conflicts)));
        after = self.with_foreign(after);
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

    fn load(&self, case_id: &str) -> Stored {
        Self::storage()
            .and_then(|s| s.get_item(&self.storage_key(case_id)).ok().flatten())
            .and_then(|text| rules_core::json_from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Whether `stored` is now kept on this machine. A full or disabled storage must not break
    /// the widget: the state still holds it, and the officer is told it will not outlive the page.
    fn save(&self, case_id: &str, stored: &Stored) -> bool {
        match (Self::storage(), serde_json::to_string(stored)) {
            (Some(s), Ok(text)) => s.set_item(&self.storage_key(case_id), &text).is_ok(),
            _ => false,
        }
    }

    fn local_config_key(&self) -> String {
        format!("{}admin-config", self.storage_prefix)
    }

    fn load_local_config(&self) -> Option<rules_core::Config> {
        let text = Self::storage()?.get_item(&self.local_config_key()).ok().flatten()?;
        crate::engine::parse_config(&text).ok()
    }

    /// Whether the local config is now kept on this machine (as [`Store::save`]).
    fn save_local_config(&self, config: Option<&rules_core::Config>) -> bool {
        let Some(s) = Self::storage() else { return false };
        match config {
            Some(c) => s.set_item(&self.local_config_key(), &crate::engine::config_file(c)),
            None => s.remove_item(&self.local_config_key()),
        }
        .is_ok()
    }

    /// Fixes the clock (tests, demos) or, with `None`, follows the real one again.
    pub fn set_now(&self, now: Option<String>) {
        self.fixed_now.set(now.is_some());
        self.dispatch(Action::Tick(now.unwrap_or_else(beijing_now)));
    }

    fn start_clock(&self) {
        let weak = self.weak.borrow().clone();
        let tick = Interval::new(30_000, move || {
            if let Some(s) = weak.upgrade() {
                let now = beijing_now();
                if !s.fixed_now.get() && s.state().now != now {
                    s.dispatch(Action::Tick(now));
                }
            }
        });
        *self.timer.borrow_mut() = Some(tick);
    }

    /// Intercepts submits of `target` (a form, or a button) in the capture phase at the
    /// document, before any handler of the host page runs.
    pub fn guard(&self, target: web_sys::Element) -> Result<(), JsValue> {
        let document =
            target.owner_document().ok_or_else(|| JsValue::from_str("guardSubmit: element has no document"))?;
        let is_form = target.dyn_ref::<web_sys::HtmlFormElement>().is_some();
        let event = if is_form { "submit" } else { "click" };
        let weak = self.weak.borrow().clone();
        let watched = target.clone();
        // Not passive: a held submit is stopped with `preventDefault`.
        let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: false };
        let listener = EventListener::new_with_options(&document, event, options, move |ev: &web_sys::Event| {
            let hit = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|node| {
                if is_form {
                    node == *watched.as_ref()
                } else {
                    watched.contains(Some(&node))
                }
            });
            // A `submit` event a page script dispatched submits nothing: not the officer's.
            if is_form && !ev.is_trusted() {
                return;
            }
            // A widget taken off the page cannot show why it holds a submit: the host's own
            // handlers have it.
            if let (true, Some(store)) = (hit, weak.upgrade().filter(|s| s.host.is_connected())) {
                store.on_attempt(ev, &watched, is_form);
            }
        });
        self.guards.borrow_mut().push(listener);
        self.announce_ready();
        Ok(())
    }

    /// Logs submits that the page's early guard let through unchecked (the widget had not
    /// loaded) with the case, once there is one: the officer's reason is kept like any other.
    pub fn take_unchecked(&self, submits: Vec<UncheckedSubmit>) {
        self.unchecked.borrow_mut().extend(submits);
        self.log_unchecked();
    }

    fn log_unchecked(&self) {
        if self.state().case.is_none() || self.unchecked.borrow().is_empty() {
            return;
        }
        let submits = std::mem::take(&mut *self.unchecked.borrow_mut());
        let events = submits
            .into_iter()
            .map(|u| {
                let reason = match u.reason {
                    Some(r) => format!("未经检查放行（{}，记录清单未能加载：{}）：{r}", u.at, u.why),
                    None => format!("未经检查放行（{}，记录清单未能加载：{}；本机关设置为提示后放行）", u.at, u.why),
                };
                rules_core::LogEvent::SubmitAllowed(rules_core::SubmitAllowed {
                    reason: Some(reason),
                    warnings: Vec::new(),
                })
            })
            .collect();
        self.log_now(events);
    }

    /// Sends `checklist-ready` once the widget can decide on a submit and guards one: the
    /// page's early guard (law-record-checklist.guard.js) then hands its held submits over.
    fn announce_ready(&self) {
        if !self.announced.get() && !self.guards.borrow().is_empty() && self.state().ready() {
            self.announced.set(true);
            self.emit("checklist-ready", JsValue::NULL);
        }
    }

    fn on_attempt(&self, ev: &web_sys::Event, target: &web_sys::Element, is_form: bool) {
        if self.bypass.replace(false) {
            let state = self.state();
            let reason = state.stored.reasons.last().map(|r| r.reason.clone());
            self.log_now(vec![rules_core::LogEvent::SubmitAllowed(rules_core::SubmitAllowed {
                reason: reason.clone(),
                warnings: self.open_warning_keys(),
            })]);
            self.emit("submit-allowed", self.allowed_detail(state.report.is_some(), reason));
            return;
        }
        if !self.fixed_now.get() {
            self.dispatch(Action::Tick(beijing_now()));
        }
        let state = self.state();
        let submitter = || {
            if is_form {
                js_sys::Reflect::get(ev, &JsValue::from_str("submitter"))
                    .ok()
                    .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
            } else {
                None
            }
        };
        let kind = match state.decision() {
            Decision::Pass => {
                self.log_now(vec![
                    attempted(&state),
                    rules_core::LogEvent::SubmitAllowed(rules_core::SubmitAllowed {
                        reason: None,
                        warnings: self.open_warning_keys(),
                    }),
                ]);
                self.emit("submit-allowed", self.allowed_detail(true, None));
                return;
            }
            Decision::Unchecked(UncheckedPolicy::AllowNotice) => {
                let why = state.unchecked_why();
                self.log_now(vec![
                    attempted(&state),
                    rules_core::LogEvent::SubmitAllowed(rules_core::SubmitAllowed {
                        reason: Some(format!("未经检查放行（本机关设置）：{why}")),
                        warnings: Vec::new(),
                    }),
                ]);
                self.dispatch(Action::Notice(Some(format!("本案未经记录清单检查即已提交：{why}"))));
                self.emit("submit-allowed", self.allowed_detail(false, None));
                return;
            }
            Decision::Unchecked(UncheckedPolicy::AskReason) => GuardKind::UncheckedReason,
            Decision::Unchecked(UncheckedPolicy::Block) => GuardKind::UncheckedBlocked,
            Decision::Block => GuardKind::Blocked,
            Decision::NeedsReason => GuardKind::NeedsReason,
        };
        let blocking: Vec<String> = state
            .report
            .as_ref()
            .map(|r| r.view.blocking().iter().map(|i| i.key.clone()).collect())
            .unwrap_or_default();
        let reason = match kind {
            GuardKind::Blocked => "必须事项未满足".to_owned(),
            GuardKind::NeedsReason => "存在警告，等待填写理由".to_owned(),
            GuardKind::UncheckedReason => format!("案件未经检查，等待填写理由：{}", state.unchecked_why()),
            GuardKind::UncheckedBlocked => format!("案件无法检查，本机关设置为不能提交：{}", state.unchecked_why()),
        };
        self.log_now(vec![
            attempted(&state),
            rules_core::LogEvent::SubmitBlocked(rules_core::SubmitBlocked { reason, blocking }),
        ]);
        ev.prevent_default();
        ev.stop_immediate_propagation();
        *self.held.borrow_mut() = (!kind.is_blocked()).then(|| Held { target: target.clone(), submitter: submitter() });
        self.dispatch(Action::OpenGuard(kind));
        if kind.is_blocked() {
            self.emit("submit-blocked", self.blocked_detail(&state));
        }
    }

    /// `{blocking: [{key, title, citation}], report, unchecked}` for `submit-blocked`;
    /// `unchecked` is why the case could not be checked, or null.
    fn blocked_detail(&self, state: &State) -> JsValue {
        let report = self.report_js(state);
        let detail = js_sys::Object::new();
        let blocking: Vec<serde_json::Value> = state
            .report
            .as_ref()
            .map(|r| {
                r.view
                    .blocking()
                    .iter()
                    .map(|i| {
                        serde_json::json!({"key": i.key, "title": i.title,
                            "citation": {"article": i.citation.article, "quote": i.citation.quote}})
                    })
                    .collect()
            })
            .unwrap_or_default();
        let blocking = js_sys::JSON::parse(&serde_json::Value::from(blocking).to_string()).unwrap_or(JsValue::NULL);
        let _ = js_sys::Reflect::set(&detail, &"blocking".into(), &blocking);
        let _ = js_sys::Reflect::set(
            &detail,
            &"report".into(),
            &js_sys::Reflect::get(&report, &"report".into()).unwrap_or(JsValue::NULL),
        );
        let unchecked = if state.report.is_none() { JsValue::from(state.unchecked_why()) } else { JsValue::NULL };
        let _ = js_sys::Reflect::set(&detail, &"unchecked".into(), &unchecked);
        detail.into()
    }

    fn open_warning_keys(&self) -> Vec<String> {
        let state = self.state();
        state
            .report
            .as_ref()
            .map(|r| r.view.open_warnings().iter().map(|i| i.key.clone()).collect())
            .unwrap_or_default()
    }

    fn allowed_detail(&self, checked: bool, reason: Option<String>) -> JsValue {
        let state = self.state();
        let warnings: Vec<String> = state
            .report
            .as_ref()
            .map(|r| r.view.open_warnings().iter().map(|i| i.key.clone()).collect())
            .unwrap_or_default();
        let detail = serde_json::json!({"checked": checked, "warnings": warnings, "reason": reason});
        js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL)
    }

    /// Lets the held submit go, through the host's own path so its handlers run.
    fn release(&self) {
        let Some(held) = self.held.borrow_mut().take() else { return };
        self.bypass.set(true);
        if let Some(form) = held.target.dyn_ref::<web_sys::HtmlFormElement>() {
            let has_request_submit = js_sys::Reflect::has(form, &JsValue::from_str("requestSubmit")).unwrap_or(false);
            if has_request_submit {
                let _ = match held.submitter.as_ref() {
                    Some(s) => form.request_submit_with_submitter(Some(s)),
                    None => form.request_submit(),
                };
            } else {
                // Without requestSubmit no submit event fires: the host gets a plain submit.
                let _ = form.submit();
            }
        } else if let Some(el) = held.target.dyn_ref::<web_sys::HtmlElement>() {
            el.click();
        }
        // A submit blocked by form validation fires no event: do not leave the door open.
        self.bypass.set(false);
    }

    /// Removes listeners, the clock and the rendered widget.
    pub fn stop(&self) {
        // Dropping a gloo listener or interval removes it from the page.
        self.guards.borrow_mut().clear();
        self.timer.borrow_mut().take();
        if let Some(app) = self.app.borrow_mut().take() {
            app.destroy();
        }
    }
}

/// A widget dropped without `unmount()` (its handle freed, or collected) leaves nothing on
/// the host page: the guards and the clock go with their fields, the rendered widget here.
impl Drop for Store {
    fn drop(&mut self) {
        if let Some(app) = self.app.get_mut().take() {
            app.destroy();
        }
    }
}

/// A submit attempt, with what was open at that moment.
fn attempted(state: &State) -> rules_core::LogEvent {
    let (blocking, warnings) =
        state.report.as_ref().map(|r| (r.view.blocking().len(), r.view.open_warnings().len())).unwrap_or_default();
    rules_core::LogEvent::SubmitAttempted(rules_core::SubmitAttempted {
        blocking: u32::try_from(blocking).unwrap_or(u32::MAX),
        warnings: u32::try_from(warnings).unwrap_or(u32::MAX),
    })
}

fn code(p: &crate::model::Problem) -> &'static str {
    match p {
        crate::model::Problem::InvalidCase(_) => "invalid-case",
        crate::model::Problem::Pack(_) => "pack",
        crate::model::Problem::InvalidTime(_) => "invalid-time",
        crate::model::Problem::Config(_) => "invalid-config",
    }
}

/// A submit the page's early guard let through before the widget had loaded
/// (`lawRecordChecklistGuard.takeUnchecked()`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct UncheckedSubmit {
    /// When, as the page's clock gave it (ISO 8601).
    pub at: String,
    /// Why the case could not be checked.
    pub why: String,
    /// The officer's reason, when the agency's policy asked for one.
    #[serde(default)]
    pub reason: Option<String>,
}
