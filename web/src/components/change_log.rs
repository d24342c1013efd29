use yew::prelude::*;

use crate::hooks::{use_rule_rows, use_widget};
use crate::state::Action;

/// Props of [`ChangeLog`].
#[derive(Properties, PartialEq, Clone)]
pub struct ChangeLogProps {}

fn setting(o: Option<&rules_core::RuleOverride>) -> String {
    match o {
        None => "规则包默认".to_string(),
        Some(o) if o.disabled => "停用".to_string(),
        Some(o) => o.severity.map(|s| s.zh().to_string()).unwrap_or_else(|| "默认".into()),
    }
}

/// Every change of the config, newest first, with who, when and why; and undo.
#[function_component]
pub fn ChangeLog(_props: &ChangeLogProps) -> Html {
    let ctx = use_widget();
    let pack = ctx.state.pack_id();
    let rows = use_rule_rows(pack.clone());
    let log = &ctx.state.config.log;
    // A change is named by its rule's title; the id only where the pack no longer has the rule.
    let title = |id: &str| {
        rows.as_ref()
            .as_ref()
            .ok()
            .and_then(|r| r.iter().find(|r| r.id == id))
            .map(|r| r.title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let undo = {
        let now = ctx.state.now.clone();
        ctx.dispatch.reform(move |_: MouseEvent| Action::AdminUndo { at: now.clone() })
    };
    html! {
        <section class="admin-log" aria-label="变更记录">
            <h3>{ format!("变更记录（{} 条）", log.len()) }</h3>
            <button type="button" class="btn" id="admin-undo" onclick={undo} disabled={log.is_empty()}>
                { "撤销上一项调整" }
            </button>
            if log.is_empty() {
                <p class="muted">{ "尚无调整。" }</p>
            } else {
                <ol class="log" reversed=true>
                    { for log.iter().enumerate().rev().map(|(i, c)| html! {
                        <li data-rule={c.rule.clone()} data-index={i.to_string()}>
                            <span>{ format!("{} · {} · ", c.at, c.by) }</span>
                            <strong>{ title(&c.rule) }</strong>
                            <span>{ format!(
                                "（{}）：{} → {}",
                                super::admin_panel::scope_zh(&c.scope, pack.as_deref()),
                                setting(c.before.as_ref()),
                                setting(c.after.as_ref())
                            ) }</span>
                            <span class="q">{ format!("理由：{}", c.reason) }</span>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}
