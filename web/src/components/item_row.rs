use yew::prelude::*;

use super::{dom_id, Citation, MediaPanel};
use crate::hooks::use_widget;
use crate::media::MediaEntry;
use crate::state::{Action, OfficerAck};
use crate::view::{severity_label, show_time, status_label, strength_label, time_left, ItemView};

/// Props of [`ItemRow`].
#[derive(Properties, PartialEq, Clone)]
pub struct ItemRowProps {
    /// The item as the engine reported it.
    pub item: ItemView,
    /// Current time, for the time left.
    pub now: AttrValue,
    /// Whether the citation is shown.
    pub citation_open: bool,
    /// The officer's acknowledgment, if any.
    pub ack: Option<OfficerAck>,
    /// Whether an acknowledgment can satisfy this item.
    pub ackable: bool,
    /// Files attached here on this machine, when the item takes audio-video files and the
    /// loader hashes them.
    #[prop_or_default]
    pub media: Option<Vec<MediaEntry>>,
    /// The SHA-256 the case records for this media item's file.
    #[prop_or_default]
    pub recorded: Option<String>,
}

/// One checklist item: status, strength, due time, what satisfied it, its citation, and the
/// officer's tick for what the platform cannot know.
#[function_component]
pub fn ItemRow(props: &ItemRowProps) -> Html {
    let ctx = use_widget();
    let item = &props.item;
    let cite_id = dom_id("cite", &item.key);
    let title_id = dom_id("title", &item.key);
    let toggle_cite = {
        let key = item.key.clone();
        ctx.dispatch.reform(move |_: MouseEvent| Action::ToggleCitation(key.clone()))
    };
    let on_ack = {
        let key = item.key.clone();
        let now = props.now.to_string();
        let acked = props.ack.is_some();
        ctx.dispatch.reform(move |_: Event| {
            if acked {
                Action::Retract(key.clone())
            } else {
                Action::Acknowledge { item: key.clone(), at: now.clone() }
            }
        })
    };
    let due = item.due.as_deref().map(|due| {
        let at = item.due_at.as_deref().unwrap_or(due);
        let left = time_left(&props.now, at).unwrap_or_default();
        let late = left.starts_with("已超期") && !item.is_done();
        html! {
            <span class="line">
                { format!("期限 {due}") }
                if !item.is_done() && !left.is_empty() {
                    { " · " }<span class={classes!(late.then_some("late"))}>{ left }</span>
                }
            </span>
        }
    });
    let can_ack = props.ack.is_some() || (props.ackable && matches!(item.status.as_str(), "missing" | "incomplete"));
    html! {
        <li class={classes!("item", (!item.is_done()).then(|| format!("sv-{}", item.severity)))} data-key={item.key.clone()}
            data-status={item.status.clone()} aria-labelledby={title_id.clone()}>
            <span class="title" id={title_id}>{ item.title.clone() }</span>
            <span class="tags">
                <span class={classes!("tag", format!("st-{}", item.status))}>{ status_label(&item.status) }</span>
                <span class="tag" title="要求强度">{ strength_label(&item.strength) }</span>
                <span class="tag">{ severity_label(&item.severity) }</span>
            </span>
            { for due }
            if !item.satisfied_by.is_empty() {
                <span class="line">{ format!("依据记录：{}", item.satisfied_by.join("、")) }</span>
            }
            if let Some(line) = item.missing_line() {
                <span class="line">{ line }</span>
            }
            if !item.detail.is_empty() {
                <span class="line">{ item.detail.clone() }</span>
            }
            // A switched-off rule's detail already gives the reason; a lowered must rule's does not.
            if let Some(reason) = item.waived_by_config.as_ref().filter(|_| item.status != "waived") {
                <span class="line waived-cfg">{ format!("已由本机关配置豁免（waived by config）：{reason}") }</span>
            }
            <span class="actions">
                <button type="button" class="link" onclick={toggle_cite}
                    aria-expanded={props.citation_open.to_string()} aria-controls={cite_id.clone()}>
                    { if props.citation_open { "收起依据" } else { "查看依据" } }
                </button>
                if can_ack {
                    <label class="ack">
                        <input type="checkbox" checked={props.ack.is_some()} onchange={on_ack} />
                        <span>{ "线下已完成（人工确认）" }</span>
                    </label>
                }
                if let Some(a) = props.ack.as_ref() {
                    <span>{ format!("已于 {} 确认", show_time(&a.at)) }</span>
                }
            </span>
            if let Some(entries) = props.media.clone() {
                <MediaPanel item={item.key.clone()} {entries} recorded={props.recorded.clone().map(AttrValue::from)} />
            }
            if props.citation_open {
                <Citation citation={item.citation.clone()} id={cite_id} />
            }
        </li>
    }
}
