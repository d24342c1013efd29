use rules_core::OverrideScope;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{ChangeLog, ConfigFiles, RuleTable};
use crate::hooks::use_widget;
use crate::state::Action;

/// The scope menu's entry that asks for a department's name.
const OTHER: &str = "department-other";

/// Props of [`AdminPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct AdminPanelProps {}

/// Admin mode: the agency's pack, its rules with the agency's choices, the effect of the last
/// change, the change log and the config files. Shown only when the host says the user is an
/// administrator.
#[function_component]
pub fn AdminPanel(_props: &AdminPanelProps) -> Html {
    let ctx = use_widget();
    // 其他部门… chosen: the name field shows until a name is given.
    let other = use_state(|| false);
    let s = &ctx.state;
    let Some(admin) = s.admin.as_ref() else { return html! {} };
    let pack = s.pack_id();
    // One entry per pack: the latest version (the list has every version; the config applies
    // to all of them, and the one checking a case is chosen by its filing day).
    let (mut packs, _) = crate::engine::packs();
    packs.reverse();
    let mut seen: Vec<String> = Vec::new();
    packs.retain(|p| {
        if seen.contains(&p.id) {
            false
        } else {
            seen.push(p.id.clone());
            true
        }
    });
    packs.reverse();
    let on_pack = ctx.dispatch.reform(|e: Event| {
        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value());
        Action::AdminSetPack(v.unwrap_or_default())
    });
    let procedures: Vec<(OverrideScope, String)> = packs
        .iter()
        .find(|p| pack.as_deref() == Some(p.id.as_str()))
        .map(|p| p.procedures.iter().map(|x| (OverrideScope::Procedure(x.id.clone()), x.name.clone())).collect())
        .unwrap_or_default();
    // One control says where a change applies: the whole agency, one procedure, or one
    // department (listed from the config and the current case; 其他部门… asks for a name).
    let scope = admin.scope.clone();
    let mut departments: Vec<String> = s.config.departments.keys().cloned().collect();
    let chosen = match &scope {
        OverrideScope::Department(d) => Some(d.clone()),
        _ => None,
    };
    let extra = [s.case.as_ref().and_then(|c| c.department.clone()), chosen];
    for d in extra.into_iter().flatten() {
        if !departments.contains(&d) {
            departments.push(d);
        }
    }
    let on_scope = {
        let dispatch = ctx.dispatch.clone();
        let other = other.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value());
            let v = v.unwrap_or_default();
            if v == OTHER {
                other.set(true);
            } else if let Ok(scope) = v.parse::<OverrideScope>() {
                // The menu's values are scopes written by `Display`, so they parse back.
                other.set(false);
                dispatch.emit(Action::AdminScope(scope));
            }
        })
    };
    let on_department = {
        let dispatch = ctx.dispatch.clone();
        let other = other.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
            let v = v.unwrap_or_default();
            let v = v.trim();
            if !v.is_empty() {
                other.set(false);
                dispatch.emit(Action::AdminScope(OverrideScope::Department(v.to_string())));
            }
        })
    };
    let current = s.case.as_ref().map(|c| c.id.clone());
    let effect = admin.effect.as_ref().map(|e| describe_effect(e, current.as_deref()));
    html! {
        <section class="admin" aria-label="本机关配置（管理员）">
            <h2>{ "本机关配置 · 管理员" }</h2>
            <div class="row">
                <label>{ "执法机关与规则包：" }
                    <select id="admin-pack" onchange={on_pack}>
                        { for packs.iter().map(|p| html! {
                            <option value={p.id.clone()} selected={pack.as_deref() == Some(p.id.as_str())}>
                                { format!("{}（规则包版本 {}）", p.agency, p.version) }
                            </option>
                        }) }
                    </select>
                </label>
                <label>{ "调整适用于：" }
                    <select id="admin-scope" onchange={on_scope} aria-describedby="admin-scope-help">
                        <option value={OverrideScope::Agency.to_string()} selected={!*other && scope == OverrideScope::Agency}>
                            { scope_zh(&OverrideScope::Agency, None) }
                        </option>
                        if !procedures.is_empty() {
                            <optgroup label="仅某一程序的案件">
                                { for procedures.into_iter().map(|(v, name)| html! {
                                    <option value={v.to_string()} selected={!*other && scope == v}>{ format!("仅{name}") }</option>
                                }) }
                            </optgroup>
                        }
                        <optgroup label="仅某一部门的案件">
                            { for departments.into_iter().map(|d| {
                                let v = OverrideScope::Department(d);
                                html! { <option value={v.to_string()} selected={!*other && scope == v}>{ scope_zh(&v, None) }</option> }
                            }) }
                            <option value={OTHER} selected={*other}>{ "其他部门…" }</option>
                        </optgroup>
                    </select>
                </label>
                if *other {
                    <label>{ "部门名称：" }
                        <input type="text" id="admin-department" onchange={on_department}
                            placeholder="与案件所填部门一致，回车确认" />
                    </label>
                }
                <p class="muted" id="admin-scope-help">
                    { "同一规则：部门的调整优先于程序的调整，程序的调整优先于本机关全部案件的调整。" }
                </p>
            </div>
            if let Some(e) = admin.error.as_ref() {
                <p class="bad" role="alert" id="admin-error">{ e.clone() }</p>
            }
            if let Some(st) = admin.status.as_ref() {
                <p class="admin-status" role="status" id="admin-status">
                    { st.clone() }
                    if let Some(e) = effect { { "。" }<span id="admin-effect">{ e }</span> }
                </p>
            }
            <RuleTable pack={pack} />
            <ChangeLog />
            <ConfigFiles />
        </section>
    }
}

/// What a change does (or would do) to the current case and the sample cases, as the engine
/// counted it: the totals, then each case that changes, by its number.
pub(crate) fn describe_effect(e: &rules_core::ConfigEffect, current: Option<&str>) -> String {
    let gate = |allowed: bool| if allowed { "可以提交" } else { "阻止提交" };
    let changed: Vec<String> = e
        .cases
        .iter()
        .filter(|c| !c.changed.is_empty() || c.allowed_before != c.allowed_after)
        .map(|c| {
            let which = if current == Some(c.case_id.as_str()) { "当前案件" } else { "样例" };
            let mut line = format!("{which} {} {} 项", c.case_id, c.changed.len());
            if c.allowed_before != c.allowed_after {
                line += &format!("，提交结论由{}变为{}", gate(c.allowed_before), gate(c.allowed_after));
            }
            line
        })
        .collect();
    let cases = if changed.is_empty() { "无案件变化".to_string() } else { changed.join("；") };
    format!(
        "对当前案件及样例案件（{} 件）的影响：{} 项清单变化，{} 件案件的提交结论变化（{cases}）",
        e.cases.len(),
        e.changed_items,
        e.gate_changed
    )
}

/// Where an override applies, in the administrator's words: 本机关全部案件, 仅<the
/// procedure's name in pack `pack`>, 仅<the department>.
pub(crate) fn scope_zh(scope: &OverrideScope, pack: Option<&str>) -> String {
    match scope {
        OverrideScope::Agency => "本机关全部案件".to_string(),
        OverrideScope::Department(d) => format!("仅{d}"),
        OverrideScope::Procedure(id) => {
            let (packs, _) = crate::engine::packs();
            let name = packs
                .iter()
                .rev()
                .filter(|p| pack.is_none_or(|k| k == p.id))
                .find_map(|p| p.procedures.iter().find(|x| x.id == *id).map(|x| x.name.clone()));
            format!("仅{}", name.unwrap_or_else(|| id.clone()))
        }
    }
}
