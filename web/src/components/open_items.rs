use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::use_widget;
use crate::state::Action;
use crate::view::{ItemView, ReportView};

/// Props of [`OpenItems`].
#[derive(Properties, PartialEq, Clone)]
pub struct OpenItemsProps {
    /// The report being shown.
    pub report: Rc<ReportView>,
}

/// What stands between the officer and submitting, at the top: the items that block, then the
/// warnings that need a reason, each a link to the item itself.
#[function_component]
pub fn OpenItems(props: &OpenItemsProps) -> Html {
    let ctx = use_widget();
    let r = &props.report;
    let (blocking, warnings) = (r.blocking(), r.open_warnings());
    if blocking.is_empty() && warnings.is_empty() {
        return html! {};
    }
    let link = |i: &ItemView| {
        let onclick = r.locate(&i.key).map(|(step, item)| {
            ctx.dispatch.reform(move |_: MouseEvent| Action::Reveal { item: item.clone(), step: step.clone() })
        });
        let target = if i.target == "case" { String::new() } else { format!("（{}）", i.target) };
        html! {
            <li>
                <button type="button" class="link" {onclick}>{ format!("{}{target}", i.title) }</button>
                <span class="why">{ i.status.zh() }</span>
            </li>
        }
    };
    html! {
        <nav class="open-items" aria-label="待处理事项">
            if !blocking.is_empty() {
                <h3 class="no">{ format!("阻止提交的事项（{}）", blocking.len()) }</h3>
                <ul>{ for blocking.iter().map(|i| link(i)) }</ul>
            }
            if !warnings.is_empty() {
                <h3 class="warn-h">{ format!("提交时需说明理由的警告（{}）", warnings.len()) }</h3>
                <ul>{ for warnings.iter().map(|i| link(i)) }</ul>
            }
        </nav>
    }
}
