//! What the store tells the host page: its events, the report as the host reads it, and
//! the officer's file requests.
use wasm_bindgen::prelude::*;

use super::Store;
use crate::hooks::MediaRequest;
use crate::state::State;

impl Store {
    /// Passes the officer's file request to the loader's hashing as a `media-request` event:
    /// `{caseId, action, item, entry, sha256, files}`. The files stay in this page.
    pub(super) fn media_request(&self, r: MediaRequest) {
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

    pub(super) fn render(&self) {
        let props = self.props();
        if let Some(app) = self.app.borrow_mut().as_mut() {
            app.update(props);
        }
    }

    /// The report (or the problem) as the host reads it: `{type: "success", report}` or
    /// `{type: "failure", error: {code, message}}`.
    pub fn report_js(&self, state: &State) -> JsValue {
        let text = report_text(state);
        js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
    }

    pub(super) fn emit(&self, name: &str, detail: JsValue) {
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = self.host.dispatch_event(&ev);
        }
    }
}

/// The report (or the problem) as the host reads it, as JSON text.
pub(super) fn report_text(state: &State) -> String {
    match (&state.report, &state.problem) {
        (Some(r), None) => format!(r#"{{"type":"success","report":{}}}"#, r.json),
        (_, Some(p)) => crate::result::problem_json(p),
        (None, None) => crate::result::failure_json(crate::result::ErrorCode::NoCase, "尚未提供案件数据"),
    }
}
