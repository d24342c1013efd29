//! The widget's clock: Beijing civil time, ticking while mounted unless the host fixed it.
use gloo_timers::callback::Interval;
use wasm_bindgen::prelude::*;

use super::Store;
use crate::state::Action;

/// Current Beijing civil time to the second, `YYYY-MM-DDTHH:MM:SS`, for log entries.
pub(super) fn beijing_now_seconds() -> String {
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
    /// Fixes the clock (tests, demos) or, with `None`, follows the real one again.
    pub fn set_now(&self, now: Option<String>) {
        self.fixed_now.set(now.is_some());
        self.dispatch(Action::Tick(now.unwrap_or_else(beijing_now)));
    }

    pub(super) fn start_clock(&self) {
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
}
