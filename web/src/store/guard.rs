//! The submit guard: holds the host's submit in the capture phase, decides on it with the
//! state, logs the attempt, and lets a held submit go once a reason is given.
use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use rules_core::UncheckedPolicy;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock::beijing_now;
use super::{Store, UncheckedSubmit};
use crate::state::{Action, Decision, GuardKind, State};

/// The submit the guard held while the officer types a reason.
pub(super) struct Held {
    target: web_sys::Element,
    submitter: Option<web_sys::HtmlElement>,
}

impl Store {
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

    pub(super) fn log_unchecked(&self) {
        if self.state().case.is_none() || self.unchecked.borrow().is_empty() {
            return;
        }
        let submits = std::mem::take(&mut *self.unchecked.borrow_mut());
        self.log_now(unchecked_events(submits));
    }

    /// Sends `checklist-ready` once the widget can decide on a submit and guards one: the
    /// page's early guard (law-record-checklist.guard.js) then hands its held submits over.
    pub(super) fn announce_ready(&self) {
        if !self.announced.get() && !self.guards.borrow().is_empty() && self.state().ready() {
            self.announced.set(true);
            self.emit("checklist-ready", JsValue::NULL);
        }
    }

    pub(super) fn on_attempt(&self, ev: &web_sys::Event, target: &web_sys::Element, is_form: bool) {
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
        let kind = match attempt(&state) {
            Attempt::Pass(events) => {
                self.log_now(events);
                self.emit("submit-allowed", self.allowed_detail(true, None));
                return;
            }
            Attempt::AllowNotice { events, notice } => {
                self.log_now(events);
                self.dispatch(Action::Notice(Some(notice)));
                self.emit("submit-allowed", self.allowed_detail(false, None));
                return;
            }
            Attempt::Hold { kind, events } => {
                self.log_now(events);
                kind
            }
        };
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
    pub(super) fn blocked_detail(&self, state: &State) -> JsValue {
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

    pub(super) fn open_warning_keys(&self) -> Vec<String> {
        open_warnings(&self.state())
    }

    pub(super) fn allowed_detail(&self, checked: bool, reason: Option<String>) -> JsValue {
        let warnings = self.open_warning_keys();
        let detail = serde_json::json!({"checked": checked, "warnings": warnings, "reason": reason});
        js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL)
    }

    /// Lets the held submit go, through the host's own path so its handlers run.
    pub(super) fn release(&self) {
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
}

/// A submit attempt, with what was open at that moment.
pub(super) fn attempted(state: &State) -> rules_core::LogEvent {
    let (blocking, warnings) =
        state.report.as_ref().map(|r| (r.view.blocking().len(), r.view.open_warnings().len())).unwrap_or_default();
    rules_core::LogEvent::SubmitAttempted(rules_core::SubmitAttempted {
        blocking: u32::try_from(blocking).unwrap_or(u32::MAX),
        warnings: u32::try_from(warnings).unwrap_or(u32::MAX),
    })
}

/// What the guard does with a submit attempt, and what it logs.
#[derive(Debug, PartialEq)]
pub(super) enum Attempt {
    /// The submit goes through.
    Pass(Vec<rules_core::LogEvent>),
    /// The case could not be checked and the agency lets it go, telling the officer.
    AllowNotice {
        /// The attempt and the submit let through.
        events: Vec<rules_core::LogEvent>,
        /// What the officer is told.
        notice: String,
    },
    /// The submit is held, with the modal the officer sees.
    Hold {
        /// The modal.
        kind: GuardKind,
        /// The attempt and why it was held.
        events: Vec<rules_core::LogEvent>,
    },
}

/// The keys of the open warnings.
fn open_warnings(state: &State) -> Vec<String> {
    state.report.as_ref().map(|r| r.view.open_warnings().iter().map(|i| i.key.clone()).collect()).unwrap_or_default()
}

/// What the guard does with a submit attempt now (see [`State::decision`]).
pub(super) fn attempt(state: &State) -> Attempt {
    let kind = match state.decision() {
        Decision::Pass => {
            return Attempt::Pass(vec![
                attempted(state),
                rules_core::LogEvent::SubmitAllowed(rules_core::SubmitAllowed {
                    reason: None,
                    warnings: open_warnings(state),
                }),
            ]);
        }
        Decision::Unchecked(UncheckedPolicy::AllowNotice) => {
            let why = state.unchecked_why();
            return Attempt::AllowNotice {
                events: vec![
                    attempted(state),
                    rules_core::LogEvent::SubmitAllowed(rules_core::SubmitAllowed {
                        reason: Some(format!("未经检查放行（本机关设置）：{why}")),
                        warnings: Vec::new(),
                    }),
                ],
                notice: format!("本案未经记录清单检查即已提交：{why}"),
            };
        }
        Decision::Unchecked(UncheckedPolicy::AskReason) => GuardKind::UncheckedReason,
        Decision::Unchecked(UncheckedPolicy::Block) => GuardKind::UncheckedBlocked,
        Decision::Block => GuardKind::Blocked,
        Decision::NeedsReason => GuardKind::NeedsReason,
    };
    let blocking: Vec<String> =
        state.report.as_ref().map(|r| r.view.blocking().iter().map(|i| i.key.clone()).collect()).unwrap_or_default();
    let reason = match kind {
        GuardKind::Blocked => "必须事项未满足".to_owned(),
        GuardKind::NeedsReason => "存在警告，等待填写理由".to_owned(),
        GuardKind::UncheckedReason => format!("案件未经检查，等待填写理由：{}", state.unchecked_why()),
        GuardKind::UncheckedBlocked => format!("案件无法检查，本机关设置为不能提交：{}", state.unchecked_why()),
    };
    Attempt::Hold {
        kind,
        events: vec![
            attempted(state),
            rules_core::LogEvent::SubmitBlocked(rules_core::SubmitBlocked { reason, blocking }),
        ],
    }
}

/// The log entries for submits the page's early guard let through before the widget loaded.
pub(super) fn unchecked_events(submits: Vec<UncheckedSubmit>) -> Vec<rules_core::LogEvent> {
    submits
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
        .collect()
}
