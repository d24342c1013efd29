//! The JavaScript boundary. Functions take and return plain JS objects (the engine's JSON
//! contract); outcomes are tagged `{type: "success", ...}` or `{type: "failure", error}`.
//! Only misuse (no element, wrong argument kind) throws.
use std::rc::Rc;

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine;
use crate::result::{self, ErrorCode};
use crate::state::Action;
use crate::store::{beijing_now, Store};

/// Options of `mount()`; every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct MountOptions {
    case: Option<serde_json::Value>,
    agency: Option<String>,
    procedure: Option<String>,
    officer: Option<String>,
    config: Option<serde_json::Value>,
    config_url: Option<String>,
    config_fingerprint: Option<String>,
    admin: bool,
    now: Option<String>,
    storage_prefix: Option<String>,
    checklist_record: Option<serde_json::Value>,
    review: bool,
}

/// Options of `evaluate()`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EvaluateOptions {
    agency: Option<String>,
    procedure: Option<String>,
    config: Option<serde_json::Value>,
    now: Option<String>,
}

fn failure(code: ErrorCode, message: &str) -> JsValue {
    js_sys::JSON::parse(&result::failure_json(code, message)).unwrap_or(JsValue::NULL)
}

/// JSON text of a JS value: strings are taken as JSON text already.
fn json_text(value: &JsValue) -> Result<String, String> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    js_sys::JSON::stringify(value)
        .map_err(|_| "无法序列化（可能含有循环引用）".to_string())?
        .as_string()
        .ok_or_else(|| "不是对象".to_string())
}

fn options<T: for<'de> Deserialize<'de> + Default>(value: &JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let text = json_text(value).map_err(|e| JsError::new(&format!("options: {e}")))?;
    rules_core::json_from_str(&text).map_err(|e| JsError::new(&format!("options: {e}")))
}

fn config_of(value: &JsValue) -> Result<Option<Rc<rules_core::Config>>, String> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    json_text(value).and_then(|t| engine::parse_config(&t)).map(|c| Some(Rc::new(c)))
}

fn to_js(v: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// `url` resolved against the page, when it is under the page's own origin (the only place
/// the widget reads a config from).
fn same_origin(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("没有 window")?;
    let base = window.document().and_then(|d| d.base_uri().ok().flatten()).unwrap_or_default();
    let parsed = web_sys::Url::new_with_base(url, &base).map_err(|_| format!("地址 `{url}` 无效"))?;
    let origin = window.location().origin().unwrap_or_default();
    if parsed.origin() != origin {
        return Err(format!("地址 `{url}` 不在本平台（{origin}）之下，未读取"));
    }
    Ok(parsed.href())
}

/// Reads a config from `url`, which must be under the page's own origin.
async fn fetch_config(url: String) -> Result<Option<Rc<rules_core::Config>>, String> {
    let href = same_origin(&url)?;
    let window = web_sys::window().ok_or("没有 window")?;
    let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&href))
        .await
        .map_err(|_| format!("无法从 `{url}` 读取（网络错误）"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "fetch 未返回响应".to_string())?;
    if !resp.ok() {
        return Err(format!("无法从 `{url}` 读取：HTTP {}", resp.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(|_| "无法读取响应".to_string())?)
        .await
        .map_err(|_| format!("无法从 `{url}` 读取正文"))?;
    engine::parse_config(&text.as_string().unwrap_or_default()).map(|c| Some(Rc::new(c)))
}

/// The config from the loader's own read of `url` (begun while the wasm compiled):
/// `{status, text}`, or `{failed: true}` when the network failed.
fn prefetched_config(url: &str, outcome: &JsValue) -> Result<Option<Rc<rules_core::Config>>, String> {
    same_origin(url)?;
    let get = |k: &str| js_sys::Reflect::get(outcome, &k.into()).unwrap_or(JsValue::UNDEFINED);
    if get("failed").is_truthy() {
        return Err(format!("无法从 `{url}` 读取（网络错误）"));
    }
    // An HTTP status is a small whole number; anything else reads as 0 (not ok).
    let status = get("status").as_f64().filter(|s| (0.0..1000.0).contains(s)).map_or(0, |s| s as u16);
    if !(200..300).contains(&status) {
        return Err(format!("无法从 `{url}` 读取：HTTP {status}"));
    }
    let text = get("text").as_string().ok_or_else(|| format!("无法从 `{url}` 读取正文"))?;
    engine::parse_config(&text).map(|c| Some(Rc::new(c)))
}

/// A widget mounted into a host element.
#[wasm_bindgen]
pub struct Widget {
    store: Rc<Store>,
}

#[wasm_bindgen]
impl Widget {
    /// Sets or replaces the case (the engine's case contract, as a plain object or JSON text).
    #[wasm_bindgen(js_name = setCase)]
    pub fn set_case(&self, case: JsValue) -> JsValue {
        let parsed = json_text(&case).and_then(|t| engine::parse_case(&t));
        self.store.dispatch(Action::SetCase(parsed.map(Rc::new)));
        self.report()
    }

    /// Chooses the agency's rule pack; `null` goes back to the case's own agency.
    #[wasm_bindgen(js_name = setAgency)]
    pub fn set_agency(&self, agency: Option<String>) -> JsValue {
        self.store.dispatch(Action::SetAgency(agency));
        self.report()
    }

    /// Chooses the procedure; `null` goes back to the case's own.
    #[wasm_bindgen(js_name = setProcedure)]
    pub fn set_procedure(&self, procedure: Option<String>) -> JsValue {
        self.store.dispatch(Action::SetProcedure(procedure));
        self.report()
    }

    /// Sets the agency's configuration (the config document, as an object or JSON text);
    /// `null` goes back to the pack as written. A config that cannot be read, or that does not
    /// match the pinned fingerprint, is refused: the result is `{type: "failure", error}` and
    /// the widget checks with the pack's defaults, saying so.
    #[wasm_bindgen(js_name = setConfig)]
    pub fn set_config(&self, config: JsValue) -> JsValue {
        self.store.dispatch(Action::SetConfig(config_of(&config)));
        self.config_result()
    }

    /// Loads the agency's configuration from `url` (same origin only); resolves like
    /// `setConfig`.
    #[wasm_bindgen(js_name = loadConfig)]
    pub fn load_config(&self, url: String) -> js_sys::Promise {
        let store = self.store.clone();
        store.dispatch(Action::ConfigLoading);
        wasm_bindgen_futures::future_to_promise(async move {
            store.dispatch(Action::SetConfig(fetch_config(url).await));
            Ok(Widget { store }.config_result())
        })
    }

    /// Pins the config's fingerprint (64 hex digits): configs set afterwards with another
    /// fingerprint are refused. `null` removes the pin.
    #[wasm_bindgen(js_name = setConfigPin)]
    pub fn set_config_pin(&self, fingerprint: Option<String>) {
        self.store.dispatch(Action::SetPin(fingerprint));
    }

    /// Read-only review (the platform's 法制审核 page): the checklist with who acknowledged what,
    /// when and why, the reasons given at submit, media digests with 「核验文件」, and the log
    /// checked with its head; nothing can be acknowledged or taken back.
    #[wasm_bindgen(js_name = setReview)]
    pub fn set_review(&self, review: bool) {
        self.store.dispatch(Action::SetReview(review));
    }

    /// Shows or hides the administrator's controls (the host decides who is an administrator).
    #[wasm_bindgen(js_name = setAdmin)]
    pub fn set_admin(&self, admin: bool) {
        self.store.dispatch(Action::SetAdmin(admin));
    }

    /// The config in effect: `{type: "success", config, fingerprint, origin, notice}`, where
    /// `origin` is `pack-defaults`, `host` or `local` (an administrator's unexported edits).
    pub fn config(&self) -> JsValue {
        let s = self.store.state();
        let origin = match s.config_origin {
            crate::state::ConfigOrigin::PackDefaults => "pack-defaults",
            crate::state::ConfigOrigin::Host => "host",
            crate::state::ConfigOrigin::Local => "local",
        };
        to_js(&serde_json::json!({
            "type": "success",
            // From the compact text: the config types then have one serializer in the wasm.
            "config": rules_core::json_from_str::<serde_json::Value>(&serde_json::to_string(&*s.config).unwrap_or_default())
                .unwrap_or_default(),
            "fingerprint": engine::fingerprint(&s.config),
            "origin": origin,
            "notice": s.config_notice.clone().or_else(|| s.fit_notice.clone()),
        }))
    }

    fn config_result(&self) -> JsValue {
        let s = self.store.state();
        match &s.config_notice {
            Some(n) => failure(ErrorCode::ConfigRefused, n),
            None => self.report(),
        }
    }

    /// Names the officer, recorded with acknowledgments and reasons.
    #[wasm_bindgen(js_name = setOfficer)]
    pub fn set_officer(&self, officer: Option<String>) {
        self.store.dispatch(Action::SetOfficer(officer));
    }

    /// Fixes the clock (`YYYY-MM-DDTHH:MM`, Beijing time); `null` follows the real clock.
    #[wasm_bindgen(js_name = setNow)]
    pub fn set_now(&self, now: Option<String>) -> JsValue {
        self.store.set_now(now);
        self.report()
    }

    /// The current report: `{type: "success", report}` or `{type: "failure", error}`.
    pub fn report(&self) -> JsValue {
        self.store.report_js(&self.store.state())
    }

    /// The officer's acknowledgments and warning reasons for the current case.
    pub fn records(&self) -> JsValue {
        let text = serde_json::to_string(&self.store.state().stored).unwrap_or_default();
        js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
    }

    /// Guards the host's own submit: `target` is a `<form>` or the submit button.
    #[wasm_bindgen(js_name = guardSubmit)]
    pub fn guard_submit(&self, target: JsValue) -> Result<(), JsValue> {
        let el = target
            .dyn_into::<web_sys::Element>()
            .map_err(|_| JsValue::from(js_sys::TypeError::new("guardSubmit: expected a form or a button element")))?;
        self.store.guard(el)
    }

    /// The files hashed on this machine for case `caseId` (the loader's hashing calls
    /// this with every change): `[{id, item, name, size, modifiedAt, state, bytes, rate, eta,
    /// sha256, sm3, hashedAt, message, verify}]`. Finished files become media of the case.
    #[wasm_bindgen(js_name = setMedia)]
    pub fn set_media(&self, case_id: Option<String>, entries: JsValue) -> Result<(), JsValue> {
        let text = json_text(&entries).map_err(|e| JsValue::from(js_sys::TypeError::new(&format!("setMedia: {e}"))))?;
        let entries: Vec<crate::media::MediaEntry> = rules_core::json_from_str(&text)
            .map_err(|e| JsValue::from(js_sys::TypeError::new(&format!("setMedia: {e}"))))?;
        // Files hashed on other PCs, known from the platform's record, stay listed.
        let current = self.store.state().case.as_ref().map(|c| c.id.clone());
        let entries =
            if case_id.is_none() || case_id == current { self.store.media_with_foreign(entries) } else { entries };
        self.store.dispatch(Action::SetMedia { case_id, entries });
        Ok(())
    }

    /// The current case's tamper-evident log as an exported file (JSON text, verifiable with
    /// `rules log verify`), or `undefined` without a case or while the stored log is read.
    #[wasm_bindgen(js_name = exportLog)]
    pub fn export_log(&self) -> Option<String> {
        self.store.export_log()
    }

    /// The checklist record of the current case (`law-record-checklist/1`: acknowledgments,
    /// reasons, media digests and the case log), for the platform to store with the case; or
    /// `undefined` without a case or while the stored log is read. `record-change` carries the
    /// same document whenever it changes.
    #[wasm_bindgen(js_name = checklistRecord)]
    pub fn checklist_record(&self) -> JsValue {
        match self.store.checklist_record() {
            Some(text) => js_sys::JSON::parse(&text).unwrap_or(JsValue::UNDEFINED),
            None => JsValue::UNDEFINED,
        }
    }

    /// Gives the widget the checklist record the platform stored for the case (object or JSON
    /// text); it is merged with this machine's copy, nothing of either lost. Returns
    /// `{type: "success", state: "merged", conflicts: [{item, kept, other}]}`, `{type: "success",
    /// state: "pending"}` (merged once the case and its stored log are there), or `{type:
    /// "failure", error: {code: "record-refused", message}}` (another case, another version,
    /// malformed, a log that does not verify: the widget says so, and keeps its own copy).
    #[wasm_bindgen(js_name = setChecklistRecord)]
    pub fn set_checklist_record(&self, record: JsValue) -> JsValue {
        let text = json_text(&record);
        record_result(self.store.set_record(text))
    }

    /// Logs with the case the submits the page's early guard let through before the widget
    /// had loaded: `[{at, why, reason}]` (the loader hands over
    /// `lawRecordChecklistGuard.takeUnchecked()`).
    #[wasm_bindgen(js_name = logUncheckedSubmits)]
    pub fn log_unchecked_submits(&self, submits: JsValue) -> Result<(), JsValue> {
        let bad = |e: String| JsValue::from(js_sys::TypeError::new(&format!("logUncheckedSubmits: {e}")));
        let text = json_text(&submits).map_err(|e| bad(e.to_string()))?;
        let submits: Vec<crate::store::UncheckedSubmit> =
            rules_core::json_from_str(&text).map_err(|e| bad(e.to_string()))?;
        self.store.take_unchecked(submits);
        Ok(())
    }

    /// The id of the case shown, if any.
    #[wasm_bindgen(js_name = caseId)]
    pub fn case_id(&self) -> Option<String> {
        self.store.state().case.as_ref().map(|c| c.id.clone())
    }

    /// Removes the widget and its submit guards.
    pub fn unmount(&self) {
        self.store.stop();
    }
}

/// A [`RecordOutcome`](crate::store::RecordOutcome) as the host reads it.
fn record_result(outcome: crate::store::RecordOutcome) -> JsValue {
    use crate::store::RecordOutcome as O;
    let ack =
        |a: &rules_core::Acknowledgment| serde_json::json!({"item": a.item, "at": a.at, "by": a.by, "note": a.note});
    match outcome {
        O::Pending => to_js(&serde_json::json!({"type": "success", "state": "pending"})),
        O::Merged(conflicts) => {
            let list: Vec<serde_json::Value> = conflicts
                .iter()
                .map(|c| serde_json::json!({"item": c.kept.item, "kept": ack(&c.kept), "other": ack(&c.other)}))
                .collect();
            to_js(&serde_json::json!({"type": "success", "state": "merged", "conflicts": list}))
        }
        O::Refused(message) => failure(ErrorCode::RecordRefused, &message),
    }
}

/// Mounts the widget into `element` (rendered in its shadow root) with `options`:
/// `{case, agency, procedure, officer, config, configUrl, configFingerprint, admin, now,
/// storagePrefix, logStore, checklistRecord, review}`. `logStore` (`{load(key), save(key, text)}`, both returning
/// promises; the loader passes its IndexedDB module) keeps the case log; without it the log
/// stays in the page, with a warning.
#[wasm_bindgen]
pub fn mount(element: JsValue, options: JsValue) -> Result<Widget, JsValue> {
    let host = element
        .dyn_into::<web_sys::HtmlElement>()
        .map_err(|_| JsValue::from(js_sys::TypeError::new("mount: expected an HTML element")))?;
    let opts: MountOptions = self::options(&options).map_err(JsValue::from)?;
    // Functions do not survive the JSON above: the log store is taken as the object it is.
    let log_store =
        js_sys::Reflect::get(&options, &"logStore".into()).ok().filter(|v| v.is_object() || v.is_function());
    let shadow = match host.shadow_root() {
        Some(s) => s,
        None => host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?,
    };
    let document = host.owner_document().ok_or_else(|| JsValue::from_str("mount: element has no document"))?;
    // A remount replaces what an earlier mount left.
    shadow.set_inner_html("");
    let style = document.create_element("style")?;
    style.set_text_content(Some(crate::style::CSS));
    shadow.append_child(&style)?;
    let root = document.create_element("div")?;
    shadow.append_child(&root)?;
    let prefix = opts.storage_prefix.clone().unwrap_or_else(|| "law-record-checklist:v1:".to_string());
    let store = Store::start(host.into(), root, prefix, opts.now.clone(), log_store);
    if opts.officer.is_some() {
        store.dispatch(Action::SetOfficer(opts.officer));
    }
    if opts.config_fingerprint.is_some() {
        store.dispatch(Action::SetPin(opts.config_fingerprint));
    }
    if opts.admin {
        store.dispatch(Action::SetAdmin(true));
    }
    if opts.review {
        store.dispatch(Action::SetReview(true));
    }
    if let Some(config) = opts.config {
        store.dispatch(Action::SetConfig(engine::parse_config(&config.to_string()).map(|c| Some(Rc::new(c)))));
    }
    if opts.agency.is_some() {
        store.dispatch(Action::SetAgency(opts.agency));
    }
    if opts.procedure.is_some() {
        store.dispatch(Action::SetProcedure(opts.procedure));
    }
    // The config before the case: a case given at mount is then checked once, with it.
    if let Some(url) = opts.config_url {
        let prefetch = js_sys::Reflect::get(&options, &"configPrefetch".into()).unwrap_or(JsValue::UNDEFINED);
        match prefetch.dyn_into::<js_sys::Promise>() {
            // The loader's read has not finished: wait for it with the checklist saying so.
            Ok(pending) => {
                store.dispatch(Action::ConfigLoading);
                let s = store.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = wasm_bindgen_futures::JsFuture::from(pending).await.unwrap_or(JsValue::UNDEFINED);
                    s.dispatch(Action::SetConfig(prefetched_config(&url, &outcome)));
                });
            }
            Err(outcome) if outcome.is_object() => {
                store.dispatch(Action::SetConfig(prefetched_config(&url, &outcome)));
            }
            // Mounted without the loader: read it here.
            Err(_) => {
                store.dispatch(Action::ConfigLoading);
                let s = store.clone();
                wasm_bindgen_futures::spawn_local(
                    async move { s.dispatch(Action::SetConfig(fetch_config(url).await)) },
                );
            }
        }
    }
    if let Some(case) = opts.case {
        store.dispatch(Action::SetCase(engine::parse_case(&case.to_string()).map(Rc::new)));
    }
    // After the case: merged with this machine's copy once its stored log is read.
    if let Some(record) = opts.checklist_record {
        let _ = store.set_record(Ok(record.to_string()));
    }
    store.show();
    Ok(Widget { store })
}

/// Evaluates a case without rendering: `{type: "success", report}` or `{type: "failure", error}`.
/// `options`: `{agency, procedure, config, now}`.
#[wasm_bindgen]
pub fn evaluate(case: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let opts: EvaluateOptions = self::options(&options).map_err(JsValue::from)?;
    let case = match json_text(&case).and_then(|t| engine::parse_case(&t)) {
        Ok(c) => c,
        Err(e) => return Ok(failure(ErrorCode::InvalidCase, &format!("案件数据无法读取：{e}"))),
    };
    let config = match opts.config.map(|c| engine::parse_config(&c.to_string())).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return Ok(failure(ErrorCode::InvalidConfig, &format!("本机关配置无法读取：{e}"))),
    };
    let now = opts.now.unwrap_or_else(beijing_now);
    Ok(
        match engine::evaluate(
            &case,
            engine::Added::default(),
            opts.agency.as_deref(),
            opts.procedure.as_deref(),
            &config,
            &now,
            false,
        ) {
            Ok(ev) => {
                // The report parsed as it is, then wrapped: not copied into a larger string first.
                let report = js_sys::JSON::parse(&ev.json).unwrap_or(JsValue::NULL);
                let out = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&out, &"type".into(), &"success".into());
                let _ = js_sys::Reflect::set(&out, &"report".into(), &report);
                out.into()
            }
            Err(p) => failure(ErrorCode::of(&p), &p.message()),
        },
    )
}

/// The built-in rule packs: `{type: "success", packs: [{id, agency, steps}], errors: [...]}`.
#[wasm_bindgen]
pub fn packs() -> JsValue {
    let (packs, errors) = engine::packs();
    let v = serde_json::json!({"type": "success", "packs": packs, "errors": errors});
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// The widget's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
