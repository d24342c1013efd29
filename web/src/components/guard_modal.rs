use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{use_modal, use_widget};
use crate::state::{Action, Guard, GuardKind};
use crate::view::{ItemView, ReportView};

/// Props of [`GuardModal`].
#[derive(Properties, PartialEq, Clone)]
pub struct GuardModalProps {
    /// The modal's state.
    pub guard: Guard,
    /// The report the attempt was checked against; none when the case could not be checked.
    pub report: Option<Rc<ReportView>>,
    /// Why the case could not be checked (shown when there is no report).
    #[prop_or_default]
    pub why: String,
    /// The engine's words for it, for the platform's support staff.
    #[prop_or_default]
    pub detail: Option<AttrValue>,
}

fn listed(items: &[&ItemView], regulation: &str) -> Html {
    html! {
        <ul>
            { for items.iter().map(|i| html! {
                <li data-key={i.key.clone()}>
                    <strong>{ i.title.clone() }</strong>
                    <span class="q">{ format!("依据：《{regulation}》{}", i.citation.article) }</span>
                    <span class="q">{ format!("“{}”", i.citation.quote) }</span>
                </li>
            }) }
        </ul>
    }
}

/// The modal shown when the host's submit was held: what blocks, what warns, what informs.
#[function_component]
pub fn GuardModal(props: &GuardModalProps) -> Html {
    let ctx = use_widget();
    let first = use_node_ref();
    let dialog = use_node_ref();
    use_modal(dialog.clone(), first.clone());
    let (blocking, warnings, info) = match props.report.as_deref() {
        Some(r) => (r.blocking(), r.open_warnings(), r.open_info()),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let close = ctx.dispatch.reform(|_: MouseEvent| Action::CloseGuard);
    let confirm = {
        let now = ctx.state.now.clone();
        // The reason covers the warnings the officer sees in this modal.
        let shown: Vec<String> = warnings.iter().map(|i| i.key.clone()).collect();
        ctx.dispatch.reform(move |_: MouseEvent| Action::ConfirmReason { at: now.clone(), warnings: shown.clone() })
    };
    let edit = ctx.dispatch.reform(|e: InputEvent| {
        let text = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default();
        Action::EditReason(text)
    });
    // Escape closes the dialog through the state, which then removes it.
    let cancel = ctx.dispatch.reform(|e: Event| {
        e.prevent_default();
        Action::CloseGuard
    });
    let blocked = props.guard.kind.is_blocked();
    let unchecked = matches!(props.guard.kind, GuardKind::UncheckedReason | GuardKind::UncheckedBlocked);
    let (title, lead) = match props.guard.kind {
        GuardKind::Blocked => ("不能提交：还有必须完成的记录", "以下事项未满足，平台的提交已被拦截。请补齐后再提交。"),
        GuardKind::NeedsReason => ("提交前请说明理由", "以下事项存在警告。如仍要提交，请填写理由，理由将随案件保存。"),
        GuardKind::UncheckedReason => {
            ("记录清单无法检查本案", "本案的记录是否齐全未经检查。如仍要提交，请填写理由，理由将记入本案操作日志。")
        }
        GuardKind::UncheckedBlocked => (
            "不能提交：记录清单无法检查本案",
            "按本机关设置，未经检查的案件不能提交。请待问题解决后再提交，或联系本机关法制机构。",
        ),
    };
    let regulation = props.report.as_ref().map(|r| r.pack.title.clone()).unwrap_or_default();
    let label = if unchecked { "未经检查仍要提交的理由" } else { "仍要提交的理由" };
    html! {
        <dialog ref={dialog} class="dialog" aria-labelledby="lrc-guard-title" aria-describedby="lrc-guard-lead"
            oncancel={cancel}>
                <h2 id="lrc-guard-title">{ title }</h2>
                <p id="lrc-guard-lead">{ lead }</p>
                if unchecked {
                    <p class="why">{ format!("原因：{}", props.why) }</p>
                    if let Some(d) = props.detail.clone() {
                        <p class="support"><small>{ format!("技术信息：{d}") }</small></p>
                    }
                }
                if !blocking.is_empty() {
                    <section class="blocking" aria-label="阻止提交">
                        <h3>{ format!("阻止提交（{}）", blocking.len()) }</h3>
                        { listed(&blocking, &regulation) }
                    </section>
                }
                if !warnings.is_empty() {
                    <section class="warnings" aria-label="警告">
                        <h3>{ format!("警告（{}）", warnings.len()) }</h3>
                        { listed(&warnings, &regulation) }
                    </section>
                }
                if !info.is_empty() {
                    <section class="info" aria-label="提示">
                        <h3>{ format!("提示（{}）", info.len()) }</h3>
                        { listed(&info, &regulation) }
                    </section>
                }
                if blocked {
                    <div class="row">
                        <button type="button" class="btn primary" ref={first} onclick={close}>{ "返回补充" }</button>
                    </div>
                } else {
                    <label for="lrc-reason">{ label }</label>
                    <textarea id="lrc-reason" ref={first} value={props.guard.draft.clone()} oninput={edit}
                        aria-invalid={props.guard.error.is_some().to_string()} aria-describedby="lrc-reason-err" required=true />
                    <p id="lrc-reason-err" class="bad" role="alert">{ props.guard.error.clone().unwrap_or_default() }</p>
                    <div class="row">
                        <button type="button" class="btn" onclick={close}>{ "取消" }</button>
                        <button type="button" class="btn primary" onclick={confirm}>{ "填写理由并提交" }</button>
                    </div>
                }
        </dialog>
    }
}
