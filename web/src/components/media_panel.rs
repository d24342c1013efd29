use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::ConfirmButton;
use crate::hooks::{use_widget, MediaRequest};
use crate::media::{show_eta, show_rate, show_size, MediaEntry, MediaState, VerifyState};

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
    iso.as_deref().and_then(|t| rules_core::Time::parse(t).ok()).map(|t| t.to_string()).unwrap_or_default()
}

/// What the item's one file control does with the next file picked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Pick {
    /// Hash it on this machine and file it under the item.
    #[default]
    Attach,
    /// Compare it with the SHA-256 the case records for the item.
    Check,
    /// Compare it with a file already hashed here (the entry's id).
    Verify(String),
}

impl Pick {
    /// The input's class, naming the current use (the tests pick files through it).
    fn class(&self) -> &'static str {
        match self {
            Pick::Attach => "media-attach",
            Pick::Check => "media-check",
            Pick::Verify(_) => "media-verify",
        }
    }
}

/// The audio-video files of one item: one control to attach a file (hashed on this machine)
/// or verify one against a recorded digest, progress with cancel, and the digests.
///
/// One hidden file input serves the item: the browser's own control speaks the browser's
/// language ("Choose Files / No file chosen") and came up to three times per item. A styled
/// button opens the picker; where a file can also be verified, the button first lists what
/// the picked file is for.
#[function_component]
pub fn MediaPanel(props: &MediaPanelProps) -> Html {
    let ctx = use_widget();
    let input = use_node_ref();
    // Read by the change handler when the file comes back, so a ref rather than state.
    let pick = use_mut_ref(Pick::default);
    let menu = use_state(|| false);
    let done: Vec<(String, String)> =
        props.entries.iter().filter(|e| e.is_done()).map(|e| (e.id.clone(), e.name.clone())).collect();
    let on_file = {
        let item = props.item.to_string();
        let recorded = props.recorded.clone();
        let request = ctx.request.clone();
        let pick = pick.clone();
        let menu = menu.clone();
        Callback::from(move |e: Event| {
            let Some(files) = picked(&e) else { return };
            let how = std::mem::take(&mut *pick.borrow_mut());
            let (action, item, entry, sha256) = match how {
                Pick::Attach => ("attach", Some(item.clone()), None, None),
                Pick::Check => ("check", Some(item.clone()), None, recorded.as_ref().map(|s| s.to_string())),
                Pick::Verify(id) => ("verify", None, Some(id), None),
            };
            request.emit(MediaRequest { action, item, entry, sha256, files: Some(files) });
            // Re-rendered so the input's class says attach again.
            menu.set(false);
        })
    };
    let choose = |how: Pick| {
        let input = input.clone();
        let pick = pick.clone();
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| {
            *pick.borrow_mut() = how.clone();
            menu.set(false);
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                i.click();
            }
        })
    };
    let several = props.recorded.is_some() || !done.is_empty();
    let list_id = crate::components::dom_id("media-pick", &props.item);
    let toggle = {
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| menu.set(!*menu))
    };
    let on_menu_key = {
        let menu = menu.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                menu.set(false);
            }
        })
    };
    let class = pick.borrow().class();
    html! {
        <div class="media">
            if let Some(sha) = props.recorded.clone() {
                <span class="line recorded">
                    <code class="digest">{ format!("案卷记录的 SHA-256 {sha}") }</code>
                </span>
            }
            <span class="media-control">
                <input type="file" multiple=true ref={input.clone()} class={classes!("media-file", class)} onchange={on_file}
                    tabindex="-1" aria-hidden="true" />
                if several {
                    <button type="button" class="btn pick-btn" aria-expanded={if *menu { "true" } else { "false" }}
                        aria-controls={list_id.clone()} onclick={toggle}>{ "附加或核验音像文件…" }</button>
                    if *menu {
                        <ul class="pick-menu" id={list_id} aria-label="选择文件的用途" onkeydown={on_menu_key}>
                            <li><button type="button" class="link" onclick={choose(Pick::Attach)}>
                                { "附加音像文件（在本机计算哈希，文件不上传）" }</button></li>
                            if props.recorded.is_some() {
                                <li><button type="button" class="link" onclick={choose(Pick::Check)}>
                                    { "核验文件：对照案卷记录的哈希" }</button></li>
                            }
                            { for done.iter().map(|(id, name)| html! {
                                <li><button type="button" class="link" onclick={choose(Pick::Verify(id.clone()))}>
                                    { format!("核验文件：与本机已记录的 {name} 的哈希对照") }</button></li>
                            }) }
                        </ul>
                    }
                } else {
                    <button type="button" class="btn pick-btn" onclick={choose(Pick::Attach)}>
                        { "附加音像文件…" }</button>
                    <span class="hint">{ "在本机计算哈希，文件不上传" }</span>
                }
            </span>
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
    let state = e.state;
    let body = match state {
        MediaState::Queued | MediaState::Hashing => {
            let speed = e.rate.map(|r| format!(" · {}", show_rate(r))).unwrap_or_default();
            let left = e.eta.map(|s| format!(" · 剩余{}", show_eta(s))).unwrap_or_default();
            html! {
                <>
                    <progress max="100" value={e.percent().to_string()} aria-label={format!("{} 哈希进度", e.name)}></progress>
                    <span class="line" role="status">
                        { if state == MediaState::Queued { state.zh().to_string() } else { format!("{} {}%{speed}{left}", state.zh(), e.percent()) } }
                    </span>
                    <button type="button" class="link cancel" onclick={ask("cancel")}>{ "取消" }</button>
                </>
            }
        }
        MediaState::Done => {
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
                        <ConfirmButton class="remove" label="移除记录" confirm="确认移除该哈希记录？" onconfirm={ask("remove")} />
                    </span>
                    { for v.map(|v| verify_line(v, ask("cancel"))) }
                </>
            }
        }
        MediaState::Check => html! {
            <>
                <span class="line">{ "对照案卷记录的 SHA-256 核验" }</span>
                { for e.verify.as_ref().map(|v| verify_line(v, ask("cancel"))) }
                <button type="button" class="link remove" onclick={ask("remove")}>{ "移除" }</button>
            </>
        },
        MediaState::Interrupted | MediaState::Changed | MediaState::Cancelled | MediaState::Failed => html! {
            <>
                <span class="line problem" role="alert">{ format!("{}：{}", state.zh(), e.message.clone().unwrap_or_default()) }</span>
                <button type="button" class="link remove" onclick={ask("remove")}>{ "移除" }</button>
            </>
        },
    };
    html! {
        <li class={classes!("file", format!("fs-{}", state.code()))} data-entry={e.id.clone()} data-state={state.code()}>
            <span class="name">{ e.name.clone() }</span>
            { body }
        </li>
    }
}

fn verify_line(v: &crate::media::Verification, cancel: Callback<MouseEvent>) -> Html {
    let (class, text) = match v.state {
        VerifyState::Hashing => (
            "verifying",
            format!(
                "{} {}：{}%",
                v.state.zh(),
                v.name,
                if v.size > 0.0 { (v.bytes / v.size * 100.0) as u32 } else { 0 }
            ),
        ),
        VerifyState::Match => ("match", format!("{}：{} 与记录的哈希相同", v.state.zh(), v.name)),
        VerifyState::Mismatch => (
            "mismatch",
            format!("{}：{} 与记录的哈希不同（{}）", v.state.zh(), v.name, v.sha256.clone().unwrap_or_default()),
        ),
        VerifyState::Changed | VerifyState::Failed => (
            "mismatch",
            format!(
                "无法核验 {}：{}{}",
                v.name,
                v.state.zh(),
                v.message.clone().map(|m| format!("，{m}")).unwrap_or_default()
            ),
        ),
    };
    html! {
        <span class={classes!("verify", class)} data-verify={v.state.code()} role="status">
            { text }
            if v.state == VerifyState::Hashing {
                { " " }<button type="button" class="link cancel" onclick={cancel}>{ "取消" }</button>
            }
        </span>
    }
}
