//! The store: holds the state, runs the reducer, and applies the side effects the reducer
//! must not have — storage, host events, the held submit, re-rendering.
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Callback};

use crate::app::{App, AppProps};
use crate::hooks::MediaRequest;
use crate::state::{Action, State};

mod clock;
mod events;
mod guard;
mod log;
mod persist;
mod record;

pub use clock::beijing_now;
use guard::Held;
use persist::stored_or_warned;

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
    /// Whether what opening the case would log (pack version, configuration) is held back:
    /// not in the log, so neither stored nor handed on, until the officer's first action (then
    /// logged just before it) or the platform's record (then logged after it where it lacks them).
    /// Merely opening a case on another PC so adds no second pack entry and no merge entry.
    opening_held: Cell<bool>,
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
            opening_held: Cell::new(false),
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
        let mut after = (*before).clone().update(action);
        let new_case = after.case.as_ref().map(|c| c.id.clone());
        let old_case = before.case.as_ref().map(|c| c.id.clone());
        if new_case != old_case {
            *self.foreign_media.borrow_mut() = new_case.as_deref().map(|id| self.load_foreign(id)).unwrap_or_default();
            if let Some(id) = new_case.as_deref() {
                let stored = self.load(id);
                if stored != after.stored {
                    after = after.update(Action::Restore(stored));
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
                after = after.update(Action::RestoreLocalConfig(Rc::new(c)));
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

#[cfg(test)]
mod tests;
