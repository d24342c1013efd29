//! The store: holds the state, runs the reducer, and applies the side effects the reducer
//! must not have — storage, host events, the held submit, re-rendering.
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::{AppHandle, Callback};

use crate::app::{App, AppProps};
use crate::hooks::MediaRequest;
use crate::state::{Action, Decision, GuardKind, State, Stored};

/// A `guardSubmit` registration, removed on unmount.
struct GuardBinding {
    document: web_sys::Document,
    event: &'static str,
    listener: Closure<dyn FnMut(web_sys::Event)>,
}

/// The clock's interval id and callback, kept alive while mounted.
type Timer = (i32, Closure<dyn FnMut()>);

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
    weak: RefCell<Weak<Store>>,
    storage_prefix: String,
    fixed_now: Cell<bool>,
    guards: RefCell<Vec<GuardBinding>>,
    held: RefCell<Option<Held>>,
    bypass: Cell<bool>,
    timer: RefCell<Option<Timer>>,
}

/// Current Beijing civil time, `YYYY-MM-DDTHH:MM`.
pub fn beijing_now() -> String {
    let ms = js_sys::Date::now() + 8.0 * 3_600_000.0;
    let iso: String = js_sys::Date::new(&JsValue::from_f64(ms)).to_iso_string().into();
    iso.get(..16).unwrap_or_default().to_string()
}

impl Store {
    /// Renders the widget into `root` (inside the host's shadow root).
    pub fn start(
        host: web_sys::Element,
        root: web_sys::Element,
        storage_prefix: String,
        now: Option<String>,
    ) -> Rc<Store> {
        let fixed = now.is_some();
        let store = Rc::new(Store {
            host,
            state: RefCell::new(Rc::new(State::new(now.unwrap_or_else(beijing_now)))),
            app: RefCell::new(None),
            weak: RefCell::new(Weak::new()),
            storage_prefix,
            fixed_now: Cell::new(fixed),
            guards: RefCell::new(Vec::new()),
            held: RefCell::new(None),
            bypass: Cell::new(false),
            timer: RefCell::new(None),
        });
        *store.weak.borrow_mut() = Rc::downgrade(&store);
        let props = store.props();
        *store.app.borrow_mut() = Some(yew::Renderer::<App>::with_root_and_props(root, props).render());
        store.start_clock();
        store
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
            if let Some(id) = new_case.as_deref() {
                let stored = self.load(id);
                if stored != after.stored {
                    after = after.reduce(Action::Restore(stored));
                }
            }
        } else if before.stored != after.stored {
            if let Some(id) = new_case.as_deref() {
                self.save(id, &after.stored);
            }
        }
        if after.admin.is_some() && before.admin.is_none() {
            if let Some(c) = self.load_local_config() {
                after = after.reduce(Action::RestoreLocalConfig(Rc::new(c)));
            }
        } else if after.admin.is_some() && before.local_config != after.local_config {
            self.save_local_config(after.local_config.as_deref());
        }
        let after = Rc::new(after);
        // The borrow ends here: host event handlers below may call back into the store.
        *self.state.borrow_mut() = after.clone();
        self.render();
        if before.report != after.report || before.problem != after.problem {
            self.emit("report-change", self.report_js(&after));
        }
        if after.releases > before.releases {
            self.release();
        }
        if new_case != old_case {
            let detail = js_sys::Object::new();
            let _ =
                js_sys::Reflect::set(&detail, &"caseId".into(), &new_case.map(JsValue::from).unwrap_or(JsValue::NULL));
            self.emit("case-change", detail.into());
        }
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

    fn load(&self, case_id: &str) -> Stored {
        Self::storage()
            .and_then(|s| s.get_item(&self.storage_key(case_id)).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn save(&self, case_id: &str, stored: &Stored) {
        if let (Some(s), Ok(text)) = (Self::storage(), serde_json::to_string(stored)) {
            // A full or disabled storage must not break the widget; the state still holds it.
            let _ = s.set_item(&self.storage_key(case_id), &text);
        }
    }

    fn local_config_key(&self) -> String {
        format!("{}admin-config", self.storage_prefix)
    }

    fn load_local_config(&self) -> Option<rules_core::Config> {
        let text = Self::storage()?.get_item(&self.local_config_key()).ok().flatten()?;
        crate::engine::parse_config(&text).ok()
    }

    fn save_local_config(&self, config: Option<&rules_core::Config>) {
        let Some(s) = Self::storage() else { return };
        // A full or disabled storage must not break the widget; the state still holds it.
        let _ = match config {
            Some(c) => s.set_item(&self.local_config_key(), &crate::engine::config_file(c)),
            None => s.remove_item(&self.local_config_key()),
        };
    }

    /// Fixes the clock (tests, demos) or, with `None`, follows the real one again.
    pub fn set_now(&self, now: Option<String>) {
        self.fixed_now.set(now.is_some());
        self.dispatch(Action::Tick(now.unwrap_or_else(beijing_now)));
    }

    fn start_clock(&self) {
        let weak = self.weak.borrow().clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            if let Some(s) = weak.upgrade() {
                let now = beijing_now();
                if !s.fixed_now.get() && s.state().now != now {
                    s.dispatch(Action::Tick(now));
                }
            }
        });
        if let Some(w) = web_sys::window() {
            if let Ok(id) =
                w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 30_000)
            {
                *self.timer.borrow_mut() = Some((id, tick));
            }
        }
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
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let hit = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|node| {
                if is_form {
                    node == *watched.as_ref()
                } else {
                    watched.contains(Some(&node))
                }
            });
            if let (true, Some(store)) = (hit, weak.upgrade()) {
                store.on_attempt(&ev, &watched, is_form);
            }
        });
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_capture(true);
        document.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            listener.as_ref().unchecked_ref(),
            &opts,
        )?;
        self.guards.borrow_mut().push(GuardBinding { document, event, listener });
        Ok(())
    }

    fn on_attempt(&self, ev: &web_sys::Event, target: &web_sys::Element, is_form: bool) {
        if self.bypass.replace(false) {
            let reason = self.state().stored.reasons.last().map(|r| r.reason.clone());
            self.emit("submit-allowed", self.allowed_detail(true, reason));
            return;
        }
        if !self.fixed_now.get() {
            self.dispatch(Action::Tick(beijing_now()));
        }
        let state = self.state();
        match state.decision() {
            Decision::PassUnchecked => self.emit("submit-allowed", self.allowed_detail(false, None)),
            Decision::Pass => self.emit("submit-allowed", self.allowed_detail(true, None)),
            Decision::Block | Decision::NeedsReason => {
                ev.prevent_default();
                ev.stop_immediate_propagation();
                let blocked = state.decision() == Decision::Block;
                let submitter = if is_form {
                    js_sys::Reflect::get(ev, &JsValue::from_str("submitter"))
                        .ok()
                        .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
                } else {
                    None
                };
                *self.held.borrow_mut() = (!blocked).then(|| Held { target: target.clone(), submitter });
                self.dispatch(Action::OpenGuard(if blocked { GuardKind::Blocked } else { GuardKind::NeedsReason }));
                if blocked {
                    let report = self.report_js(&state);
                    let detail = js_sys::Object::new();
                    let blocking: Vec<serde_json::Value> = state
                        .report
                        .as_ref()
                        .map(|r| {
                            r.view.blocking().iter().map(|i| serde_json::json!({"key": i.key, "title": i.title, "citation": {"article": i.citation.article, "quote": i.citation.quote}})).collect()
                        })
                        .unwrap_or_default();
                    let blocking =
                        js_sys::JSON::parse(&serde_json::Value::from(blocking).to_string()).unwrap_or(JsValue::NULL);
                    let _ = js_sys::Reflect::set(&detail, &"blocking".into(), &blocking);
                    let _ = js_sys::Reflect::set(
                        &detail,
                        &"report".into(),
                        &js_sys::Reflect::get(&report, &"report".into()).unwrap_or(JsValue::NULL),
                    );
                    self.emit("submit-blocked", detail.into());
                }
            }
        }
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

    /// Removes listeners and the rendered widget.
    pub fn stop(&self) {
        for g in self.guards.borrow_mut().drain(..) {
            let _ = g.document.remove_event_listener_with_callback_and_bool(
                g.event,
                g.listener.as_ref().unchecked_ref(),
                true,
            );
        }
        if let (Some(w), Some((id, _))) = (web_sys::window(), self.timer.borrow_mut().take()) {
            w.clear_interval_with_handle(id);
        }
        if let Some(app) = self.app.borrow_mut().take() {
            app.destroy();
        }
    }
}

fn code(p: &crate::state::Problem) -> &'static str {
    match p {
        crate::state::Problem::InvalidCase(_) => "invalid-case",
        crate::state::Problem::Pack(_) => "pack",
        crate::state::Problem::InvalidTime(_) => "invalid-time",
        crate::state::Problem::Config(_) => "invalid-config",
    }
}
