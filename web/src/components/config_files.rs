use yew::prelude::*;

use crate::hooks::{use_file_import, use_widget};
use crate::state::{Action, ConfigOrigin};

/// Props of [`ConfigFiles`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConfigFilesProps {}

fn list(title: &str, class: &str, items: &[rules_core::OverrideChange]) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <div class={classes!("diff", class.to_string())}>
            <h4>{ format!("{title}（{}）", items.len()) }</h4>
            <ul>{ for items.iter().map(|c| html! {
                <li data-rule={c.rule.clone()}>{ format!("{} · {}", c.scope, c.rule) }
                    if let Some(a) = c.after.as_ref() { <span class="q">{ format!("理由：{}", a.reason) }</span> }
                </li>
            }) }</ul>
        </div>
    }
}

/// Export the config as a file for the platform; open a file, see how it differs, apply it.
#[function_component]
pub fn ConfigFiles(_props: &ConfigFilesProps) -> Html {
    let ctx = use_widget();
    let on_file = use_file_import();
    let s = &ctx.state;
    let Some(admin) = s.admin.as_ref() else { return html! {} };
    let fp = crate::engine::fingerprint(&s.config);
    let text = crate::engine::config_file(&s.config);
    let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&text));
    let name = format!(
        "{}-config-{}.json",
        s.config.pack.clone().unwrap_or_else(|| "agency".into()),
        fp.get(..8).unwrap_or("")
    );
    let apply = ctx.dispatch.reform(|_: MouseEvent| Action::AdminApplyImport);
    let discard = ctx.dispatch.reform(|_: MouseEvent| Action::AdminDiscardImport);
    let discard_local = ctx.dispatch.reform(|_: MouseEvent| Action::AdminDiscardLocal);
    html! {
        <section class="admin-files" aria-label="配置文件">
            <h3>{ "配置文件" }</h3>
            <div class="row">
                <a class="btn" id="admin-export" href={href} download={name}>{ "导出配置文件" }</a>
                <label class="btn">{ "导入配置文件…" }
                    <input type="file" id="admin-import" accept=".json,application/json" onchange={on_file} hidden=true />
                </label>
                if s.config_origin == ConfigOrigin::Local {
                    <button type="button" class="btn" id="admin-discard-local" onclick={discard_local}>{ "放弃本地编辑" }</button>
                }
            </div>
            if let Some(p) = admin.import.as_ref() {
                <div class="import" role="region" aria-label="导入的配置与当前配置的差异">
                    <p>{ format!("导入的配置指纹：{}", p.fingerprint) }</p>
                    if p.diff.is_empty() {
                        <p>{ "与当前配置相同。" }</p>
                    }
                    { list("新增调整", "added", &p.diff.added) }
                    { list("删除调整", "removed", &p.diff.removed) }
                    { list("修改调整", "changed", &p.diff.changed) }
                    if !p.diff.settings.is_empty() {
                        <p>{ format!("其他设置变化：{}", p.diff.settings.join("、")) }</p>
                    }
                    <div class="row">
                        <button type="button" class="btn primary" id="admin-apply-import" onclick={apply}>{ "应用导入的配置" }</button>
                        <button type="button" class="btn" onclick={discard}>{ "放弃" }</button>
                    </div>
                </div>
            }
        </section>
    }
}
