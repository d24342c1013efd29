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

/// ASCII case folding only: the rule ids are ASCII and Chinese has no case, and full Unicode
/// folding would add its tables to the wasm.
fn matches(r: &RuleRow, q: &str) -> bool {
    q.is_empty()
        || [&r.id, &r.title, &r.article, &r.step_name, &r.quote].iter().any(|f| f.to_ascii_lowercase().contains(q))
}

/// The pack's rules by step (a list, to fit a side panel): citation, strength, current severity, and the controls to switch
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
    let q = admin.search.trim().to_ascii_lowercase();
    let on_search = ctx.dispatch.reform(|e: InputEvent| {
        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
        Action::AdminSearch(v.unwrap_or_default())
    });
    let scope = if admin.scope.is_empty() { "agency" } else { admin.scope.as_str() };
    let procedure = scope.strip_prefix("procedure:");
    let shown: Vec<&RuleRow> = rows
        .iter()
        .filter(|r| matches(r, &q) && procedure.is_none_or(|p| r.procedures.iter().any(|x| x == p)))
        .collect();
    let config = &ctx.state.config;
    // The overrides of the scope being edited; the agency-wide ones show through where it has none.
    let in_scope =
        scope.parse::<rules_core::OverrideScope>().ok().and_then(|s| config.scope(&s).cloned()).unwrap_or_default();
    html! {
        <div class="rules-admin">
            <label class="search">{ "查找规则：" }
                <input type="search" id="admin-search" value={admin.search.clone()} oninput={on_search}
                    placeholder="规则编号、名称、条款或环节" />
            </label>
            <span class="muted">{ format!("显示 {}/{} 条规则", shown.len(), rows.len()) }</span>
            <ul class="rules" aria-label="规则">
                { for shown.into_iter().map(|r| {
                    let over = in_scope.get(&r.id).or_else(|| config.rules.get(&r.id));
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
                    let draft = admin.draft(&r.id).cloned().unwrap_or_default();
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
                        <li class="rule" key={r.id.clone()} data-rule={r.id.clone()} data-strength={r.strength.clone()}>
                            <span class="rt">{ r.title.clone() }</span>
                            <span class="meta">
                                { format!("{} · ", r.step_name) }
                                <span title={r.quote.clone()}>{ r.article.clone() }</span>
                                { format!(" · {} · 当前：", strength_label(&r.strength)) }
                                <strong class="cur">{ current }</strong>
                            </span>
                            if let Some(o) = over { <span class="q">{ format!("本机关配置理由：{}", o.reason) }</span> }
                            <span class="edit">
                                <select aria-label={format!("「{}」的调整", r.title)} onchange={on_choice}>
                                    { for choices(&r.strength).iter().map(|(v, label)| html! {
                                        <option value={*v} selected={choice == *v}>{ *label }</option>
                                    }) }
                                </select>
                                <input type="text" class="reason" aria-label={format!("「{}」的调整理由", r.title)}
                                    placeholder="理由（必填）" value={draft.reason.clone()} oninput={on_reason} />
                                <button type="button" class="btn" onclick={on_apply}>{ "应用" }</button>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
