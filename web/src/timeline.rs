//! The widget's own work on the page's performance timeline (DevTools › Performance › Timings),
//! so an integrator can see what the checklist costs their page. Only the latest entry of each
//! name is kept: a long session must not grow the timeline.

/// Starts timing `name`; [`Span::end`] records it as a `performance.measure`.
pub struct Span {
    #[cfg(target_arch = "wasm32")]
    name: &'static str,
}

/// Starts a span named `name` (e.g. `law-record-checklist:evaluate`).
pub fn start(name: &'static str) -> Span {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.mark(&start_mark(name));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
    Span {
        #[cfg(target_arch = "wasm32")]
        name,
    }
}

impl Span {
    /// Ends the span, replacing the previous measure of the same name.
    pub fn end(self) {
        #[cfg(target_arch = "wasm32")]
        if let Some(p) = performance() {
            let mark = start_mark(self.name);
            p.clear_measures_with_measure_name(self.name);
            let _ = p.measure_with_start_mark(self.name, &mark);
            p.clear_marks_with_mark_name(&mark);
        }
    }
}

/// The page's `performance`, when it has all of User Timing: some hosts (old embedded
/// browsers, test DOMs) have `performance.now` only, and a missing method would throw in the
/// middle of an evaluation.
#[cfg(target_arch = "wasm32")]
fn performance() -> Option<web_sys::Performance> {
    thread_local! {
        static PERFORMANCE: Option<web_sys::Performance> = web_sys::window().and_then(|w| w.performance()).filter(|p| {
            ["mark", "measure", "clearMarks", "clearMeasures"].iter().all(|m| {
                js_sys::Reflect::get(p, &wasm_bindgen::JsValue::from_str(m)).is_ok_and(|f| f.is_function())
            })
        });
    }
    PERFORMANCE.with(Clone::clone)
}

#[cfg(target_arch = "wasm32")]
fn start_mark(name: &str) -> String {
    format!("{name}:start")
}
