use yew::prelude::*;

use crate::hooks::{use_file_import, use_rule_rows, use_widget};
use crate::state::{Action, ConfigOrigin};

/// Props of [`ConfigFiles`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConfigFilesProps {}

fn list(
    title: &str,
    class: &str,
    items: &[rules_core::OverrideChange],
    name: &dyn Fn(&rules_core::OverrideChange) -> String,
) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <div class={classes!("diff", class.to_string())}>
            <h4>{ format!("{title}（{}）", items.len()) }</h4>
            <ul>{ for items.iter().map(|c| html! {
                <li data-rule={c.rule.clone()}>{ name(c) }
                    if let Some(a) = c.after.as_ref() { <span class="q">{ format!("理由：{}", a.reason) }</span> }
                </li>
            }) }</ul>
        </div>
    }
}

/// The exported file's name, one pattern wherever a config is exported:
/// `<机关>-本机关配置-<YYYY-MM-DD>.json`, the agency as the config names it, else as its pack does.
pub(crate) fn export_name(agency: Option<&str>, pack: Option<&str>, now: &str) -> String {
    let from_pack = || {
        let (packs, _) = crate::engine::packs();
        pack.and_then(|id| packs.into_iter().rev().find(|p| p.id == id)).map(|p| p.agency)
    };
    let agency = agency.map(str::to_string).filter(|a| !a.trim().is_empty()).or_else(from_pack);
    // The name goes to the file system: no path separators or characters Windows refuses.
    let agency: String = agency
        .unwrap_or_else(|| "本机关".into())
        .chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() { '_' } else { c })
        .collect();
    format!("{}-本机关配置-{}.json", agency.trim(), now.get(..10).unwrap_or(now))
}

/// Export the config as a file for the platform; open a file, see how it differs, apply it.
#[function_component]
pub fn ConfigFiles(_props: &ConfigFilesProps) -> Html {
    let ctx = use_widget();
    let on_file = use_file_import();
    let picker = use_node_ref();
    let pack = ctx.state.pack_id();
    let rows = use_rule_rows(pack.clone());
    let s = &ctx.state;
    // A change is named by where it applies and its rule's title, as the change log names it.
    let named = |c: &rules_core::OverrideChange| {
        let title =
            rows.as_ref().as_ref().ok().and_then(|r| r.iter().find(|r| r.id == c.rule)).map(|r| r.title.clone());
        format!(
            "{} · {}",
            super::admin_panel::scope_zh(&c.scope, pack.as_deref()),
            title.unwrap_or_else(|| c.rule.clone())
        )
    };
    let Some(admin) = s.admin.as_ref() else { return html! {} };
    let text = crate::engine::config_file(&s.config);
    let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&text));
    let name = export_name(s.config.agency.as_deref(), s.pack_id().as_deref(), &s.now);
    // A real button opens the file picker, so the keyboard reaches it (a label around a
    // hidden input is skipped by Tab).
    let pick = {
        let picker = picker.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = picker.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let apply = ctx.dispatch.reform(|_: MouseEvent| Action::AdminApplyImport);
    let discard = ctx.dispatch.reform(|_: MouseEvent| Action::AdminDiscardImport);
    let discard_local = ctx.dispatch.reform(|_: MouseEvent| Action::AdminDiscardLocal);
    html! {
        <section class="admin-files" aria-label="配置文件">
            <h3>{ "配置文件" }</h3>
            <div class="row">
                <a class="btn" id="admin-export" href={href} download={name}>{ "导出配置文件" }</a>
                <button type="button" class="btn" id="admin-import-button" onclick={pick}>{ "导入配置文件…" }</button>
                <input type="file" id="admin-import" ref={picker} accept=".json,application/json" onchange={on_file}
                    hidden=true tabindex="-1" aria-hidden="true" />
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
                    { list("新增调整", "added", &p.diff.added, &named) }
                    { list("删除调整", "removed", &p.diff.removed, &named) }
                    { list("修改调整", "changed", &p.diff.changed, &named) }
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
