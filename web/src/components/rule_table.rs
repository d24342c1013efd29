use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::RuleRow;
use crate::hooks::{use_rule_rows, use_widget};
use crate::state::Action;
use crate::view::{severity_label, strength_label};

/// Props of [`RuleTable`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleTableProps {
    /// The pack whose rules are listed.
    pub pack: Option<String>,
}

/// The choices a rule of this strength allows; the engine refuses anything else anyway.
fn choices(strength: &str) -> &'static [(&'static str, &'static str)] {
    match strength {
        "must" => &[("default", "规则包默认"), ("warning", "降为警告（须说明理由）")],
        "may" => &[("default", "规则包默认"), ("warning", "警告"), ("info", "提示"), ("disabled", "停用")],
        _ => &[
            ("default", "规则包默认"),
            ("blocking", "阻止提交"),
            ("warning", "警告"),
            ("info", "提示"),
            ("disabled", "停用"),
        ],
    }
}

fn value_of(e: &Event) -> String {
    let t = e.target();
    if let Some(s) = t.as_ref().and_then(|t| t.dyn_ref::<web_sys::HtmlSelectElement>()) {
        return s.value();
    }
    t.and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default()
}

fn matches(r: &RuleRow, q: &str) -> bool {
    q.is_empty() || [&r.id, &r.title, &r.article, &r.step_name, &r.quote].iter().any(|f| f.to_lowercase().contains(q))
}

/// The pack's rules by step: citation, strength, current severity, and the controls to switch
/// a rule off or change its severity with a required reason.
#[function_component]
pub fn RuleTable(props: &RuleTableProps) -> Html {
    let ctx = use_widget();
    let rows = use_rule_rows(props.pack.clone());
    let Some(admin) = ctx.state.admin.as_ref() else { return html! {} };
    let rows = match rows.as_ref() {
        Ok(r) => r,
        Err(e) => return html! { <p class="bad">{ e.clone() }</p> },
    };
    let q = admin.search.trim().to_lowercase();
    let on_search = ctx.dispatch.reform(|e: InputEvent| {
        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
        Action::AdminSearch(v.unwrap_or_default())
    });
    let shown: Vec<&RuleRow> = rows.iter().filter(|r| matches(r, &q)).collect();
    let config = &ctx.state.config;
    html! {
        <div class="rules-admin">
            <label class="search">{ "查找规则：" }
                <input type="search" id="admin-search" value={admin.search.clone()} oninput={on_search}
                    placeholder="规则编号、名称、条款或环节" />
            </label>
            <span class="muted">{ format!("显示 {}/{} 条规则", shown.len(), rows.len()) }</span>
            <table class="rules">
                <thead><tr>
                    <th>{ "环节" }</th><th>{ "规则" }</th><th>{ "依据" }</th><th>{ "强度" }</th>
                    <th>{ "当前（提交时）" }</th><th>{ "调整" }</th>
                </tr></thead>
                <tbody>
                { for shown.into_iter().map(|r| {
                    let over = config.rules.get(&r.id);
                    let current = match over {
                        Some(o) if o.disabled => "停用".to_string(),
                        Some(o) => o.severity.map(|s| s.zh().to_string()).unwrap_or_else(|| severity_label(&r.severity).to_string()),
                        None => severity_label(&r.severity).to_string(),
                    };
                    let set_choice = match over {
                        Some(o) if o.disabled => "disabled",
                        Some(o) => match o.severity.map(|s| s.zh()) {
                            Some("阻止提交") => "blocking",
                            Some("警告") => "warning",
                            Some("提示") => "info",
                            _ => "default",
                        },
                        None => "default",
                    };
                    let draft = admin.drafts.get(&r.id).cloned().unwrap_or_default();
                    let choice = if draft.choice.is_empty() { set_choice.to_string() } else { draft.choice.clone() };
                    let id = r.id.clone();
                    let on_choice = ctx.dispatch.reform({
                        let id = id.clone();
                        move |e: Event| Action::AdminDraft { rule: id.clone(), choice: Some(value_of(&e)), reason: None }
                    });
                    let on_reason = ctx.dispatch.reform({
                        let id = id.clone();
                        move |e: InputEvent| {
                            let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
                            Action::AdminDraft { rule: id.clone(), choice: None, reason: v }
                        }
                    });
                    let on_apply = ctx.dispatch.reform({
                        let id = id.clone();
                        let now = ctx.state.now.clone();
                        move |_: MouseEvent| Action::AdminApply { rule: id.clone(), at: now.clone() }
                    });
                    html! {
                        <tr key={r.id.clone()} data-rule={r.id.clone()} data-strength={r.strength.clone()}>
                            <td>{ r.step_name.clone() }</td>
                            <td><span class="rt">{ r.title.clone() }</span><code class="rid">{ r.id.clone() }</code></td>
                            <td title={r.quote.clone()}>{ r.article.clone() }</td>
                            <td>{ strength_label(&r.strength) }</td>
                            <td class="cur">
                                { current }
                                if let Some(o) = over { <span class="q">{ format!("本机关配置：{}", o.reason) }</span> }
                            </td>
                            <td class="edit">
                                <select aria-label={format!("{} 的调整", r.id)} onchange={on_choice}>
                                    { for choices(&r.strength).iter().map(|(v, label)| html! {
                                        <option value={*v} selected={choice == *v}>{ *label }</option>
                                    }) }
                                </select>
                                <input type="text" class="reason" aria-label={format!("{} 的调整理由", r.id)}
                                    placeholder="理由（必填）" value={draft.reason.clone()} oninput={on_reason} />
                                <button type="button" class="btn" onclick={on_apply}>{ "应用" }</button>
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </div>
    }
}
