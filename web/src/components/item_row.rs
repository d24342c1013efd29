use std::rc::Rc;

use rules_core::{Status, Strength, Time};
use yew::prelude::*;

use super::{dom_id, AckForm, Citation, ConfirmButton, MediaPanel};
use crate::hooks::use_widget;
use crate::media::MediaEntry;
use crate::model::OfficerAck;
use crate::state::Action;
use crate::view::{due_soon, show_time, time_left, ItemView};

/// Props of [`ItemRow`].
#[derive(Properties, PartialEq, Clone)]
pub struct ItemRowProps {
    /// The item as the engine reported it, shared with the report.
    pub item: Rc<ItemView>,
    /// Current time, for the time left.
    pub now: AttrValue,
    /// Whether the citation is shown.
    pub citation_open: bool,
    /// The officer's acknowledgment, if any.
    pub ack: Option<OfficerAck>,
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
    let writing = use_state(|| false);
    let open_form = {
        let writing = writing.clone();
        Callback::from(move |_: MouseEvent| writing.set(true))
    };
    // Focus goes back where the officer was: the opener after 取消, the item after 确认 (the
    // opener is gone then), never to the page's <body>.
    let (opener, row) = (use_node_ref(), use_node_ref());
    let refocus = use_state(|| false);
    let close_form = {
        let (writing, refocus) = (writing.clone(), refocus.clone());
        Callback::from(move |()| {
            writing.set(false);
            refocus.set(true);
        })
    };
    {
        let (opener, row, flag) = (opener.clone(), row.clone(), refocus.clone());
        use_effect_with(*refocus, move |on| {
            if *on {
                let target = opener.cast::<web_sys::HtmlElement>().or_else(|| row.cast::<web_sys::HtmlElement>());
                if let Some(t) = target {
                    let _ = t.focus();
                }
                flag.set(false);
            }
        });
    }
    let retract = {
        let key = item.key.clone();
        ctx.dispatch.reform(move |_: MouseEvent| Action::Retract(key.clone()))
    };
    // The clock's time; the time left is not shown if the host gave one that does not read.
    let now = Time::parse(&props.now).ok();
    let due = item.due.as_deref().zip(item.due_at).map(|(due, at)| {
        let left = now.map(|now| time_left(now, at)).unwrap_or_default();
        let late = left.starts_with("已超期") && !item.is_done();
        let soon = !item.is_done() && now.is_some_and(|now| due_soon(now, at, due));
        html! {
            <span class="line">
                { format!("期限 {due}") }
                if !item.is_done() && !left.is_empty() {
                    { " · " }<span class={classes!(late.then_some("late"), soon.then_some("soon"))}>{ left }</span>
                }
            </span>
        }
    });
    // Brought here from the list of what blocks: scrolled to and focused, its step unfolded.
    let focus = ctx.state.focus.as_ref().filter(|(k, _)| *k == item.key).map(|(_, n)| *n);
    {
        let row = row.clone();
        use_effect_with(focus, move |f| {
            if f.is_some() {
                if let Some(li) = row.cast::<web_sys::HtmlElement>() {
                    li.scroll_into_view();
                    let _ = li.focus();
                }
            }
        });
    }
    let (status_words, status_class) = item.status_tag();
    let unmet = item.is_unmet();
    // Offered where the engine would count the officer's word, and not yet given.
    let can_ack = props.ack.is_none() && item.takes_acknowledgment();
    html! {
        <li ref={row} tabindex="-1" id={dom_id("item", &item.key)}
            class={classes!("item", unmet.then(|| format!("sv-{}", item.severity.code())), (item.status == Status::Acknowledged).then_some("acked"))}
            data-key={item.key.clone()}
            data-status={item.status.code()} aria-labelledby={title_id.clone()}>
            <span class="title" id={title_id}>{ item.title.clone() }</span>
            <span class="tags">
                <span class={classes!("tag", status_class)}>{ status_words }</span>
                <span class="tag" title="要求强度">{ item.strength.zh() }</span>
                // What happens if it stays so: only on an item not met now.
                if unmet && item.strength != Strength::May {
                    <span class={classes!("tag", format!("sv-tag-{}", item.severity.code()))} title="未满足时">{ item.severity.zh() }</span>
                }
            </span>
            { for due }
            if item.status == Status::Acknowledged {
                <span class="line acked">{ format!("经办人员确认：{}", item.satisfied_by.join("、")) }</span>
            } else if !item.satisfied_by.is_empty() {
                <span class="line">{ format!("对应记录：{}", item.satisfied_by.join("、")) }</span>
            }
            if let Some(line) = item.missing_line() {
                <span class="line">{ line }</span>
            }
            if !item.detail.is_empty() && item.status != Status::Acknowledged {
                <span class="line">{ item.detail.clone() }</span>
            }
            // A warning submitted over carries the reason given, as the 核查表 does.
            { for ctx.state.reasons_for(&item.key).into_iter().map(|r| html! {
                <span class="line given-reason">
                    { format!("提交时说明的理由（{}{}）：{}", show_time(&r.at), r.by.as_deref().map(|b| format!("，{b}")).unwrap_or_default(), r.reason) }
                </span>
            }) }
            // A switched-off rule's detail already gives the reason; a lowered must rule's does not.
            if let Some(reason) = item.waived_by_config.as_ref().filter(|_| item.status != Status::Waived) {
                <span class="line waived-cfg">{ format!("本机关配置：未满足时不阻止提交。理由：{reason}") }</span>
            }
            <span class="actions">
                <button type="button" class="link" onclick={toggle_cite}
                    aria-expanded={props.citation_open.to_string()} aria-controls={cite_id.clone()}>
                    { if props.citation_open { "收起依据" } else { "查看依据" } }
                </button>
                if can_ack {
                    <button type="button" class="link" ref={opener} onclick={open_form} aria-expanded={writing.to_string()}>
                        { "线下已完成（人工确认）…" }
                    </button>
                }
                if let Some(a) = props.ack.as_ref() {
                    <span>{ format!("已于 {} 人工确认", show_time(&a.at)) }</span>
                    <ConfirmButton label="撤销确认" confirm="确定撤销？" onconfirm={retract} />
                }
            </span>
            if can_ack && *writing {
                <AckForm item={item.key.clone()} now={props.now.clone()} onclose={close_form} />
            }
            if let Some(entries) = props.media.clone() {
                <MediaPanel item={item.key.clone()} {entries} recorded={props.recorded.clone().map(AttrValue::from)} />
            }
            if props.citation_open {
                <Citation citation={item.citation.clone()} id={cite_id}
                    regulation={ctx.state.report.as_ref().map(|r| AttrValue::from(r.view.pack.title.clone())).unwrap_or_default()} />
            }
        </li>
    }
}
