use rules_core::{Severity, Strength};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use rules_core::OverrideScope;

use crate::engine::RuleRow;
use crate::hooks::{use_rule_rows, use_widget};
use crate::model::RuleChoice;
use crate::state::Action;

/// Props of [`RuleTable`].
#[derive(Properties, PartialEq, Clone)]
pub struct RuleTableProps {
    /// The pack whose rules are listed.
    pub pack: Option<String>,
}

const WARNING: RuleChoice = RuleChoice::Severity(Severity::Warning);

/// The choices a rule of this strength allows; the engine refuses anything else anyway.
fn choices(strength: Strength) -> &'static [RuleChoice] {
    match strength {
        Strength::Must => &[RuleChoice::PackDefault, WARNING],
        Strength::May => {
            &[RuleChoice::PackDefault, WARNING, RuleChoice::Severity(Severity::Info), RuleChoice::Disabled]
        }
        Strength::Conditional => &RuleChoice::ALL,
    }
}

/// How the menu names `choice` for a rule of `strength`: lowering a must rule says what it
/// asks of the administrator.
fn choice_zh(choice: RuleChoice, strength: Strength) -> &'static str {
    match (choice, strength) {
        (WARNING, Strength::Must) => "降为警告（须说明理由）",
        _ => choice.zh(),
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
    // How the list is narrowed is this view's own business: a step, and changed rules only.
    let step = use_state(String::new);
    let changed_only = use_state(|| false);
    // The rule whose 应用 was last pressed, so a refusal shows on its row too.
    let applied = use_state(|| None::<String>);
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
    let scope = &admin.scope;
    let procedure = match scope {
        OverrideScope::Procedure(p) => Some(p.as_str()),
        _ => None,
    };
    let config = &ctx.state.config;
    // The overrides of the scope being edited; the agency-wide ones show through where it has none.
    let in_scope = config.scope(scope).cloned().unwrap_or_default();
    let adjusted = |r: &RuleRow| in_scope.contains_key(&r.id) || config.rules.contains_key(&r.id);
    let mut steps: Vec<(&str, &str)> = Vec::new();
    for r in rows.iter() {
        if !steps.iter().any(|(id, _)| *id == r.step) {
            steps.push((&r.step, &r.step_name));
        }
    }
    let shown: Vec<&RuleRow> = rows
        .iter()
        .filter(|r| matches(r, &q) && procedure.is_none_or(|p| r.procedures.iter().any(|x| x == p)))
        .filter(|r| step.is_empty() || r.step == *step)
        .filter(|r| !*changed_only || adjusted(r))
        .collect();
    let on_step = {
        let step = step.clone();
        Callback::from(move |e: Event| step.set(value_of(&e)))
    };
    let on_changed_only = {
        let changed_only = changed_only.clone();
        Callback::from(move |e: Event| {
            let on =
                e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.checked());
            changed_only.set(on);
        })
    };
    let pack = props.pack.clone().unwrap_or_default();
    html! {
        <div class="rules-admin">
            <div class="tools">
            <label class="search">{ "查找规则：" }
                <input type="search" id="admin-search" value={admin.search.clone()} oninput={on_search}
                    placeholder="规则编号、名称、条款或环节" />
            </label>
            <label>{ "环节：" }
                <select id="admin-step" onchange={on_step}>
                    <option value="" selected={step.is_empty()}>{ "全部环节" }</option>
                    { for steps.iter().map(|(id, name)| html! {
                        <option value={id.to_string()} selected={*step == *id}>{ name.to_string() }</option>
                    }) }
                </select>
            </label>
            <label class="check">
                <input type="checkbox" id="admin-changed-only" checked={*changed_only} onchange={on_changed_only} />
                { "只看已调整" }
            </label>
            <span class="muted" role="status">{ format!("显示 {}/{} 条规则", shown.len(), rows.len()) }</span>
            </div>
            <ul class="rules" aria-label="规则">
                { for shown.into_iter().map(|r| {
                    let over = in_scope.get(&r.id).or_else(|| config.rules.get(&r.id));
                    let current = match over {
                        Some(o) if o.disabled => "停用".to_string(),
                        Some(o) => o.severity.unwrap_or(r.severity).zh().to_string(),
                        None => r.severity.zh().to_string(),
                    };
                    let set_choice = RuleChoice::of(over);
                    let draft = admin.draft(&r.id).cloned().unwrap_or_default();
                    let choice = draft.choice.unwrap_or(set_choice);
                    let id = r.id.clone();
                    let on_choice = ctx.dispatch.reform({
                        let id = id.clone();
                        // The options' values are choices' codes, so they read back.
                        move |e: Event| Action::AdminDraft {
                            rule: id.clone(),
                            choice: RuleChoice::from_code(&value_of(&e)),
                            reason: None,
                        }
                    });
                    let on_reason = ctx.dispatch.reform({
                        let id = id.clone();
                        move |e: InputEvent| {
                            let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
                            Action::AdminDraft { rule: id.clone(), choice: None, reason: v }
                        }
                    });
                    let on_apply = {
                        let id = id.clone();
                        let now = ctx.state.now.clone();
                        let dispatch = ctx.dispatch.clone();
                        let applied = applied.clone();
                        Callback::from(move |_: MouseEvent| {
                            applied.set(Some(id.clone()));
                            dispatch.emit(Action::AdminApply { rule: id.clone(), at: now.clone() });
                        })
                    };
                    // A choice other than the one in force: what it would do, before 应用.
                    let pending = draft.choice.filter(|c| *c != set_choice);
                    let refused = admin.error.clone().filter(|_| applied.as_deref() == Some(r.id.as_str()));
                    let no_reason = refused.is_some() && draft.reason.trim().is_empty();
                    let reason_id = format!("admin-reason-{}", r.id);
                    let error_id = format!("admin-row-error-{}", r.id);
                    html! {
                        <li class="rule" key={r.id.clone()} data-rule={r.id.clone()} data-step={r.step.clone()} data-strength={r.strength.code()}>
                            <span class="rt">{ r.title.clone() }</span>
                            <span class="meta">
                                { format!("{} · ", r.step_name) }
                                <span title={r.quote.clone()}>{ r.article.clone() }</span>
                                { format!(" · {} · 当前：", r.strength.zh()) }
                                <strong class="cur">{ current }</strong>
                            </span>
                            if let Some(o) = over { <span class="q">{ format!("本机关配置理由：{}", o.reason) }</span> }
                            <span class="edit">
                                <select aria-label={format!("「{}」的调整", r.title)} onchange={on_choice}>
                                    { for choices(r.strength).iter().map(|v| html! {
                                        <option value={v.code()} selected={choice == *v}>{ choice_zh(*v, r.strength) }</option>
                                    }) }
                                </select>
                                <input type="text" class="reason" id={reason_id} aria-label={format!("「{}」的调整理由", r.title)}
                                    aria-invalid={no_reason.then_some("true")}
                                    aria-describedby={refused.is_some().then(|| error_id.clone())}
                                    placeholder="理由（必填）" value={draft.reason.clone()} oninput={on_reason} />
                                <button type="button" class="btn" onclick={on_apply}>{ "应用" }</button>
                            </span>
                            if let Some(choice) = pending {
                                <RulePreview rule={r.id.clone()} pack={pack.clone()} scope={scope.clone()} {choice} />
                            }
                            if let Some(e) = refused {
                                <span class="bad row-error" id={error_id}>{ e }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Props of [`RulePreview`].
#[derive(Properties, PartialEq, Clone)]
pub struct RulePreviewProps {
    /// The rule being changed.
    pub rule: String,
    /// Its pack.
    pub pack: String,
    /// Where the change would apply.
    pub scope: OverrideScope,
    /// The choice picked, not yet applied.
    pub choice: RuleChoice,
}

/// What a picked choice would change, counted by the engine over the current case and the
/// sample cases, shown before 应用. Counted again only when the choice, the config or the
/// case changes, not on every keystroke of the reason.
#[function_component]
pub fn RulePreview(props: &RulePreviewProps) -> Html {
    let ctx = use_widget();
    let s = &ctx.state;
    let text = use_memo((props.clone(), s.config.clone(), s.case.clone(), s.now.clone()), |(p, config, case, now)| {
        crate::engine::preview(case.as_deref(), config, &p.pack, &p.scope, &p.rule, p.choice, now)
            .map(|e| super::admin_panel::describe_effect(&e, case.as_ref().map(|c| c.id.as_str())))
    });
    match &*text {
        Ok(t) => html! { <span class="preview" role="status">{ format!("预览（尚未应用）：{t}") }</span> },
        Err(e) => html! { <span class="bad preview" role="status">{ format!("此调整不可应用：{e}") }</span> },
    }
}
