//! The root component: provides the state to every component.
use std::rc::Rc;

use yew::prelude::*;

use crate::components::{
    AdminPanel, ConfigFooter, ErrorBox, GuardModal, ListTools, MediaSummary, OpenItems, PrintView, ReviewPanel,
    StepSection, Summary,
};
use crate::hooks::{MediaRequest, WidgetContext};
use crate::state::{Action, State};

/// Props of [`App`]: the store pushes a new state after every action.
#[derive(Properties, Clone)]
pub struct AppProps {
    /// The current state.
    pub state: Rc<State>,
    /// Sends an action to the store.
    pub dispatch: Callback<Action>,
    /// Sends a request to the loader's hashing.
    pub request: Callback<MediaRequest>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch && self.request == other.request
    }
}

/// The widget.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let ctx =
        WidgetContext { state: props.state.clone(), dispatch: props.dispatch.clone(), request: props.request.clone() };
    // The checklist is on screen once there is a report and the agency config has arrived (until
    // then the widget says it is reading the config).
    let has_report = props.state.report.is_some() && !props.state.config_loading;
    let marked = use_mut_ref(|| false);
    use_effect_with(has_report, move |has| {
        // A performance mark, so a bench can time page load to first checklist.
        if *has && !marked.replace(true) {
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.mark("law-record-checklist:first-render");
            }
        }
    });
    let state = &props.state;
    // The 核查表 is derived from the state, written again only when what it is made from changed.
    let sheet = use_memo(state.sheet_inputs(), |inputs| inputs.as_ref().map(|i| Rc::new(i.html())));
    let body = match (&state.problem, &state.report) {
        _ if state.config_loading => html! { <p class="empty" role="status">{ "正在读取本机关配置……" }</p> },
        (Some(problem), _) => html! { <ErrorBox problem={problem.clone()} /> },
        (None, None) => html! { <p class="empty" role="status">{ "等待平台提供案件数据……" }</p> },
        (None, Some(ev)) => {
            let report = ev.view.clone();
            html! {
                <>
                    <Summary report={report.clone()} />
                    <OpenItems report={report.clone()} />
                    <ListTools />
                    if let Some(media) = state.media.clone() {
                        <MediaSummary {media} />
                    }
                    <ul class="steps" aria-label="办案环节">
                        { for report.steps.iter().filter(|s| s.shown).map(|s| html! {
                            <StepSection key={s.id.clone()} step={s.clone()} collapsed={state.collapsed.contains(&s.id)} />
                        }) }
                    </ul>
                    if !report.notes.is_empty() {
                        <ul class="notes" aria-label="说明">
                            { for report.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                        </ul>
                    }
                    if state.guard.is_none() {
                        if let Some(html) = (*sheet).clone() {
                            <PrintView {html} />
                        }
                    }
                </>
            }
        }
    };
    // The submit guard's modal, over a checklist or over the reason there is none.
    let report = state.report.as_ref().filter(|_| !state.config_loading).map(|ev| ev.view.clone());
    let modal = state.guard.clone().map(|guard| html! { <GuardModal {guard} {report} why={state.unchecked_said()} detail={state.problem.as_ref().map(|p| AttrValue::from(p.detail().to_owned()))} /> });
    html! {
        <ContextProvider<WidgetContext> context={ctx}>
            <section class={classes!("lrc", state.review.then_some("review"))} lang="zh-CN" aria-label="行政执法全过程记录清单">
                // Printed with the host page, the widget is a note: a scrolled, cut-off checklist on
                // paper misleads, and the 核查表 is what prints a case's record.
                <p class="print-note">{ "全过程记录清单未随本页打印。打印本案全过程记录核查表，请在清单中点“核查表”，再点“打印 / 另存为 PDF”。" }</p>
                if state.review {
                    <ReviewPanel />
                }
                if state.admin.is_some() {
                    <AdminPanel />
                }
                if let Some(w) = props.state.log_warning.clone() {
                    <p class="warn log-warning" role="alert">{ w }</p>
                }
                if let Some(w) = props.state.log_storage.clone() {
                    <p class="warn log-storage" role="alert">{ w }</p>
                }
                if let Some(w) = props.state.storage_warning.clone() {
                    <p class="warn storage-warning" role="alert">{ w }</p>
                }
                if let Some(n) = props.state.notice.clone() {
                    <p class="warn submit-notice" role="alert">{ n }</p>
                }
                if let Some(n) = props.state.record_notice.clone() {
                    <p class="warn record-notice" role="alert">{ n }</p>
                }
                { body }
                { for modal }
                <ConfigFooter />
            </section>
        </ContextProvider<WidgetContext>>
    }
}
