use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::ConfirmButton;
use crate::hooks::{use_widget, MediaRequest};
use crate::media::{show_eta, show_rate, show_size, MediaEntry};
use crate::view::show_time;

/// Props of [`MediaPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct MediaPanelProps {
    /// The item files are attached to.
    pub item: AttrValue,
    /// The files attached to it on this machine.
    pub entries: Vec<MediaEntry>,
    /// The SHA-256 the case records for the item's file, if any.
    #[prop_or_default]
    pub recorded: Option<AttrValue>,
}

fn picked(e: &Event) -> Option<js_sys::Array> {
    let input = e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let files = input.files().filter(|f| f.length() > 0);
    // Copied out, so clearing the input (to let the same file be picked again) keeps them.
    let copy = files.map(|f| {
        let out = js_sys::Array::new();
        for i in 0..f.length() {
            if let Some(file) = f.get(i) {
                out.push(&file);
            }
        }
        out
    });
    input.set_value("");
    copy
}

fn local_time(iso: &Option<String>) -> String {
    iso.as_deref().and_then(|t| rules_core::Time::parse(t).ok()).map(|t| show_time(&t.to_string())).unwrap_or_default()
}

/// The audio-video files of one item: attach (hashed on this machine), progress with cancel,
/// the recorded digests, and verifying a file against them.
#[function_component]
pub fn MediaPanel(props: &MediaPanelProps) -> Html {
    let ctx = use_widget();
    let on_attach = {
        let item = props.item.to_string();
        let request = ctx.request.clone();
        Callback::from(move |e: Event| {
            if let Some(files) = picked(&e) {
                request.emit(MediaRequest {
                    action: "attach",
                    item: Some(item.clone()),
                    entry: None,
                    sha256: None,
                    files: Some(files),
                });
            }
        })
    };
    let on_check = props.recorded.clone().map(|sha| {
        let item = props.item.to_string();
        let request = ctx.request.clone();
        Callback::from(move |e: Event| {
            if let Some(files) = picked(&e) {
                request.emit(MediaRequest {
                    action: "check",
                    item: Some(item.clone()),
                    entry: None,
                    sha256: Some(sha.to_string()),
                    files: Some(files),
                });
            }
        })
    });
    html! {
        <div class="media">
            if let (Some(sha), Some(on_check)) = (props.recorded.clone(), on_check) {
                <span class="line recorded">
                    <code class="digest">{ format!("案卷记录的 SHA-256 {sha}") }</code>
                    <label class="pick">
                        <input type="file" class="media-check" onchange={on_check}
                            aria-label="选择文件与案卷记录的哈希核验" />
                        <span>{ "核验文件（对照案卷记录）" }</span>
                    </label>
                </span>
            }
            <label class="pick">
                <input type="file" multiple=true class="media-attach" onchange={on_attach}
                    aria-label="选择音像文件，在本机计算哈希" />
                <span>{ "附加音像文件（在本机计算哈希，文件不上传）" }</span>
            </label>
            if !props.entries.is_empty() {
                <ul class="files" aria-label="本机记录的音像文件">
                    { for props.entries.iter().map(|e| entry_row(&ctx.request, e)) }
                </ul>
            }
        </div>
    }
}

fn entry_row(request: &Callback<MediaRequest>, e: &MediaEntry) -> Html {
    let ask = |action: &'static str| {
        let id = e.id.clone();
        request.reform(move |_: MouseEvent| MediaRequest {
            action,
            item: None,
            entry: Some(id.clone()),
            sha256: None,
            files: None,
        })
    };
    let on_verify = {
        let id = e.id.clone();
        let request = request.clone();
        Callback::from(move |ev: Event| {
            if let Some(files) = picked(&ev) {
                request.emit(MediaRequest {
                    action: "verify",
                    item: None,
                    entry: Some(id.clone()),
                    sha256: None,
                    files: Some(files),
                });
            }
        })
    };
    let state = e.state.as_str();
    let body = match state {
        "queued" | "hashing" => {
            let speed = e.rate.map(|r| format!(" · {}", show_rate(r))).unwrap_or_default();
            let left = e.eta.map(|s| format!(" · 剩余{}", show_eta(s))).unwrap_or_default();
            html! {
                <>
                    <progress max="100" value={e.percent().to_string()} aria-label={format!("{} 哈希进度", e.name)}></progress>
                    <span class="line" role="status">
                        { if state == "queued" { "排队等待计算".to_string() } else { format!("正在计算 {}%{speed}{left}", e.percent()) } }
                    </span>
                    <button type="button" class="link cancel" onclick={ask("cancel")}>{ "取消" }</button>
                </>
            }
        }
        "done" => {
            let v = e.verify.as_ref();
            html! {
                <>
                    <span class="line">{ format!("{} · 于 {} 计算完成（即本机存储时间）", show_size(e.size), local_time(&e.hashed_at)) }</span>
                    if e.unsaved {
                        <span class="line problem unsaved" role="alert">
                            { "此记录未能保存到本机（浏览器存储不可用或已满）：刷新页面后不再列出，请记下哈希或导出操作日志" }
                        </span>
                    }
                    <code class="digest" title="SHA-256">{ format!("SHA-256 {}", e.sha256.clone().unwrap_or_default()) }</code>
                    if let Some(sm3) = e.sm3.clone() {
                        <code class="digest" title="SM3">{ format!("SM3 {sm3}") }</code>
                    }
                    <span class="actions">
                        <label class="pick">
                            <input type="file" class="media-verify" onchange={on_verify}
                                aria-label={format!("选择文件与 {} 的哈希核验", e.name)} />
                            <span>{ "核验文件" }</span>
                        </label>
                        <ConfirmButton class="remove" label="移除记录" confirm="确认移除该哈希记录？" onconfirm={ask("remove")} />
                    </span>
                    { for v.map(|v| verify_line(v, ask("cancel"))) }
                </>
            }
        }
        "check" => html! {
            <>
                <span class="line">{ "对照案卷记录的 SHA-256 核验" }</span>
                { for e.verify.as_ref().map(|v| verify_line(v, ask("cancel"))) }
                <button type="button" class="link remove" onclick={ask("remove")}>{ "移除" }</button>
            </>
        },
        _ => html! {
            <>
                <span class="line problem" role="alert">{ format!("{}：{}", state_label(state), e.message.clone().unwrap_or_default()) }</span>
                <button type="button" class="link remove" onclick={ask("remove")}>{ "移除" }</button>
            </>
        },
    };
    html! {
        <li class={classes!("file", format!("fs-{state}"))} data-entry={e.id.clone()} data-state={e.state.clone()}>
            <span class="name">{ e.name.clone() }</span>
            { body }
        </li>
    }
}

fn verify_line(v: &crate::media::Verification, cancel: Callback<MouseEvent>) -> Html {
    let (class, text) = match v.state.as_str() {
        "hashing" => (
            "verifying",
            format!("正在核验 {}：{}%", v.name, if v.size > 0.0 { (v.bytes / v.size * 100.0) as u32 } else { 0 }),
        ),
        "match" => ("match", format!("核验一致：{} 与记录的哈希相同", v.name)),
        "mismatch" => {
            ("mismatch", format!("核验不一致：{} 与记录的哈希不同（{}）", v.name, v.sha256.clone().unwrap_or_default()))
        }
        other => (
            "mismatch",
            format!(
                "无法核验 {}：{}{}",
                v.name,
                state_label(other),
                v.message.clone().map(|m| format!("，{m}")).unwrap_or_default()
            ),
        ),
    };
    html! {
        <span class={classes!("verify", class)} data-verify={v.state.clone()} role="status">
            { text }
            if v.state == "hashing" {
                { " " }<button type="button" class="link cancel" onclick={cancel}>{ "取消" }</button>
            }
        </span>
    }
}

fn state_label(state: &str) -> &'static str {
    match state {
        "interrupted" => "已中断",
        "changed" => "文件已变化，未记录哈希",
        "cancelled" => "已取消",
        _ => "计算失败",
    }
}
