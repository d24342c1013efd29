use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{use_focus_on_mount, use_widget};
use crate::state::{Action, Guard, GuardKind};
use crate::view::{ItemView, ReportView};

/// Props of [`GuardModal`].
#[derive(Properties, PartialEq, Clone)]
pub struct GuardModalProps {
    /// The modal's state.
    pub guard: Guard,
    /// The report the attempt was checked against.
    pub report: Rc<ReportView>,
}

fn listed(items: &[&ItemView]) -> Html {
    html! {
        <ul>
            { for items.iter().map(|i| html! {
                <li data-key={i.key.clone()}>
                    <strong>{ i.title.clone() }</strong>
                    <span class="q">{ format!("依据：{}", i.citation.article) }</span>
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
    use_focus_on_mount(first.clone());
    let report = &props.report;
    let blocking = report.blocking();
    let warnings = report.open_warnings();
    let info = report.open_info();
    let close = ctx.dispatch.reform(|_: MouseEvent| Action::CloseGuard);
    let confirm = {
        let now = ctx.state.now.clone();
        ctx.dispatch.reform(move |_: MouseEvent| Action::ConfirmReason { at: now.clone() })
    };
    let edit = ctx.dispatch.reform(|e: InputEvent| {
        let text = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default();
        Action::EditReason(text)
    });
    let keys = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                // Escape must not reach the host page, which may have its own shortcuts.
                e.stop_propagation();
                dispatch.emit(Action::CloseGuard);
            }
        })
    };
    let blocked = props.guard.kind == GuardKind::Blocked;
    let (title, lead) = if blocked {
        ("不能提交：还有必须完成的记录", "以下事项未满足，平台的提交已被拦截。请补齐后再提交。")
    } else {
        ("提交前请说明理由", "以下事项存在警告。如仍要提交，请填写理由，理由将随案件保存。")
    };
    html! {
        <div class="overlay">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="lrc-guard-title"
                aria-describedby="lrc-guard-lead" onkeydown={keys}>
                <h2 id="lrc-guard-title">{ title }</h2>
                <p id="lrc-guard-lead">{ lead }</p>
                if !blocking.is_empty() {
                    <section class="blocking" aria-label="阻止提交">
                        <h3>{ format!("阻止提交（{}）", blocking.len()) }</h3>
                        { listed(&blocking) }
                    </section>
                }
                if !warnings.is_empty() {
                    <section class="warnings" aria-label="警告">
                        <h3>{ format!("警告（{}）", warnings.len()) }</h3>
                        { listed(&warnings) }
                    </section>
                }
                if !info.is_empty() {
                    <section class="info" aria-label="提示">
                        <h3>{ format!("提示（{}）", info.len()) }</h3>
                        { listed(&info) }
                    </section>
                }
                if blocked {
                    <div class="row">
                        <button type="button" class="btn primary" ref={first} onclick={close}>{ "返回补充" }</button>
                    </div>
                } else {
                    <label for="lrc-reason">{ "仍要提交的理由" }</label>
                    <textarea id="lrc-reason" ref={first} value={props.guard.draft.clone()} oninput={edit}
                        aria-invalid={props.guard.error.is_some().to_string()} aria-describedby="lrc-reason-err" required=true />
                    <p id="lrc-reason-err" class="bad" role="alert">{ props.guard.error.clone().unwrap_or_default() }</p>
                    <div class="row">
                        <button type="button" class="btn" onclick={close}>{ "取消" }</button>
                        <button type="button" class="btn primary" onclick={confirm}>{ "填写理由并提交" }</button>
                    </div>
                }
            </div>
        </div>
    }
}
