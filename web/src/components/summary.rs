use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::use_widget;
use crate::state::Action;
use crate::view::ReportView;

/// Props of [`Summary`].
#[derive(Properties, PartialEq, Clone)]
pub struct SummaryProps {
    /// The report being shown.
    pub report: Rc<ReportView>,
}

/// Header: agency, case, and whether the case may be submitted.
#[function_component]
pub fn Summary(props: &SummaryProps) -> Html {
    let ctx = use_widget();
    let open_sheet = ctx.dispatch.reform(|_: MouseEvent| Action::OpenPrint);
    let r = &props.report;
    let (done, total) = crate::view::progress(r.items());
    let blocking = r.blocking().len();
    let gate = if blocking == 0 && r.gate.allowed {
        html! { <span class="gate ok" role="status">{ "可以提交" }</span> }
    } else {
        html! { <span class="gate no" role="status">{ format!("{blocking} 项阻止提交") }</span> }
    };
    html! {
        <header class="hd">
            <h2>{ "全过程记录清单" }</h2>
            <span class="meta">{ format!("{} · 案件 {} · 已完成 {done}/{total}", r.pack.agency, r.case_id) }</span>
            { gate }
            <button type="button" class="link print" onclick={open_sheet}>{ "核查表" }</button>
        </header>
    }
}
