use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{ChangeLog, ConfigFiles, RuleTable};
use crate::hooks::use_widget;
use crate::state::Action;

/// Props of [`AdminPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct AdminPanelProps {}

/// Admin mode: the agency's pack, its rules with the agency's choices, the effect of the last
/// change, the change log and the config files. Shown only when the host says the user is an
/// administrator.
#[function_component]
pub fn AdminPanel(_props: &AdminPanelProps) -> Html {
    let ctx = use_widget();
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
    let procedures: Vec<(String, String)> = packs
        .iter()
        .find(|p| pack.as_deref() == Some(p.id.as_str()))
        .map(|p| p.procedures.iter().map(|x| (format!("procedure:{}", x.id), x.name.clone())).collect())
        .unwrap_or_default();
    let on_scope = ctx.dispatch.reform(|e: Event| {
        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value());
        Action::AdminScope(v.unwrap_or_default())
    });
    let on_department = ctx.dispatch.reform(|e: Event| {
        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
        let v = v.unwrap_or_default();
        let v = v.trim();
        Action::AdminScope(if v.is_empty() { "agency".to_string() } else { format!("department:{v}") })
    });
    let scope = admin.scope.clone();
    let department = scope.strip_prefix("department:").unwrap_or_default().to_string();
    let effect = admin.effect.as_ref().map(|e| {
        format!(
            "对当前案件及样例案件（{} 件）的影响：{} 项清单变化，{} 件案件的提交结论变化",
            e.cases.len(),
            e.changed_items,
            e.gate_changed
        )
    });
    html! {
        <section class="admin" aria-label="本机关配置（管理员）">
            <h2>{ "本机关配置 · 管理员" }</h2>
            <div class="row">
                <label>{ "执法机关与规则包：" }
                    <select id="admin-pack" onchange={on_pack}>
                        { for packs.iter().map(|p| html! {
                            <option value={p.id.clone()} selected={pack.as_deref() == Some(p.id.as_str())}>
                                { format!("{}（{} {}）", p.agency, p.id, p.version) }
                            </option>
                        }) }
                    </select>
                </label>
                <label>{ "调整适用于：" }
                    <select id="admin-scope" onchange={on_scope}>
                        <option value="agency" selected={scope.is_empty() || scope == "agency"}>{ "本机关全部案件" }</option>
                        { for procedures.into_iter().map(|(v, name)| html! {
                            <option value={v.clone()} selected={scope == v}>{ format!("仅{name}") }</option>
                        }) }
                    </select>
                </label>
                <label>{ "或仅某部门：" }
                    <input type="text" id="admin-department" value={department} onchange={on_department}
                        placeholder="部门名称（与案件 department 一致）" />
                </label>
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
