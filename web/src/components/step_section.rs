use std::rc::Rc;

use yew::prelude::*;

use super::{dom_id, ItemRow, ItemRowProps, LazyItemRow};
use crate::hooks::{has_content_visibility, use_widget};
use crate::state::Action;
use crate::view::StepView;

/// Above this many items a step's list is laid out only near the screen: a case of hundreds of
/// records otherwise spends most of its first display shaping the text of items nobody sees
/// yet. `content-visibility` does it where the browser has it (Chromium 85+); elsewhere rows
/// are drawn as they come near ([`LazyItemRow`]).
const MANY: usize = 30;

/// Props of [`StepSection`].
#[derive(Properties, PartialEq, Clone)]
pub struct StepSectionProps {
    /// The step and its items, shared with the report.
    pub step: Rc<StepView>,
    /// Whether the officer folded it away.
    pub collapsed: bool,
}

/// One step (立案, 调查取证, …) with its counts and items.
#[function_component]
pub fn StepSection(props: &StepSectionProps) -> Html {
    let ctx = use_widget();
    let step = &props.step;
    let total = step.items.iter().filter(|i| i.status != rules_core::Status::NotApplicable).count();
    let (done, counted) = crate::view::progress(step.items.iter().map(|i| &**i));
    let open = step.items.iter().filter(|i| !i.is_done()).count();
    let list_id = dom_id("step", &step.id);
    let toggle = {
        let id = step.id.clone();
        ctx.dispatch.reform(move |_: MouseEvent| Action::ToggleStep(id.clone()))
    };
    let state = &ctx.state;
    let lazy = total > MANY && !has_content_visibility();
    let listed: Vec<&Rc<crate::view::ItemView>> =
        step.items.iter().filter(|i| i.status != rules_core::Status::NotApplicable && state.shows(i)).collect();
    let filtered = listed.len() < total;
    html! {
        <li class="step" data-step={step.id.clone()}>
            <h3>
                <button type="button" class="step-btn" onclick={toggle}
                    aria-expanded={(!props.collapsed).to_string()} aria-controls={list_id.clone()}>
                    <span aria-hidden="true">{ if props.collapsed { "▸" } else { "▾" } }</span>
                    <span>{ step.name.clone() }</span>
                    <span class="count">
                        { format!("已完成 {done}/{counted}") }
                        if open > 0 { <span class="open">{ format!(" · 待办 {open}") }</span> }
                    </span>
                </button>
            </h3>
            <ul class={classes!("items", (total > MANY).then_some("many"))} id={list_id} hidden={props.collapsed} aria-label={format!("{} 清单", step.name)}>
                if total == 0 {
                    <li class="item"><span class="line">{ "本环节没有适用的记录要求。" }</span></li>
                }
                // Items that do not apply would bury the ones that do; they are counted instead.
                if total > 0 && listed.is_empty() {
                    <li class="item"><span class="line">{ "本环节没有符合筛选条件的事项。" }</span></li>
                }
                { for listed.iter().map(|item| {
                    let row = ItemRowProps {
                        item: Rc::clone(item),
                        now: state.now.clone().into(),
                        citation_open: state.open_citations.contains(&item.key),
                        ack: state.ack(&item.key).cloned(),
                        media: (state.media.is_some() && item.accepts.media).then(|| state.media_of(&item.key)),
                        recorded: item.recorded_sha256.clone(),
                    };
                    if lazy {
                        html! { <LazyItemRow key={item.key.clone()} ..row /> }
                    } else {
                        html! { <ItemRow key={item.key.clone()} ..row /> }
                    }
                }) }
                if filtered && !listed.is_empty() {
                    <li class="item na"><span class="line">{ format!("另有 {} 项未列出（筛选）", total - listed.len()) }</span></li>
                }
                if total > 0 && total < step.items.len() {
                    <li class="item na"><span class="line">{ format!("另有 {} 项本案不适用", step.items.len() - total) }</span></li>
                }
            </ul>
        </li>
    }
}
