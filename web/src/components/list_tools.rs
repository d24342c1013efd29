use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_widget;
use crate::state::Action;

/// The officer's ways through a long checklist: only what is still to do, a search over the
/// items, and the legend of the tags.
#[function_component]
pub fn ListTools() -> Html {
    let ctx = use_widget();
    let state = &ctx.state;
    let only_open = ctx
        .dispatch
        .reform(|e: Event| Action::SetOnlyOpen(e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked())));
    let search = ctx.dispatch.reform(|e: InputEvent| {
        Action::Search(e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default())
    });
    let legend = ctx.dispatch.reform(|_: MouseEvent| Action::ToggleLegend);
    html! {
        <div class="tools">
            <label class="only-open">
                <input type="checkbox" checked={state.only_open} onchange={only_open} />
                <span>{ "只看未完成" }</span>
            </label>
            <label class="search">
                <span class="sr">{ "搜索事项" }</span>
                <input type="search" placeholder="搜索事项、对象或条文" value={state.search.clone()} oninput={search} />
            </label>
            <button type="button" class="link" onclick={legend} aria-expanded={state.legend.to_string()} aria-controls="lrc-legend">
                { "图例" }
            </button>
            if state.legend {
                <dl class="legend" id="lrc-legend">
                    <dt>{ "必须" }</dt><dd>{ "条文写“应当”“必须”等：未满足时按本机关设置阻止提交或需说明理由。" }</dd>
                    <dt>{ "有条件时必须" }</dt><dd>{ "条文所列情形出现时才必须，否则显示为不适用。" }</dd>
                    <dt>{ "可选" }</dt><dd>{ "条文写“可以”“根据需要”等：未做时显示「可补充」，不影响提交。" }</dd>
                    <dt>{ "阻止提交" }</dt><dd>{ "这一项未满足时，平台的提交会被拦下，直到补齐。" }</dd>
                    <dt>{ "警告" }</dt><dd>{ "这一项未满足时仍可提交，但须写明理由，理由记入日志和核查表。" }</dd>
                    <dt>{ "提示" }</dt><dd>{ "仅作提醒，不影响提交。" }</dd>
                    <dt>{ "人工确认" }</dt><dd>{ "系统中没有这份记录，经办人员写明了纸质记录及存放位置；审核人员看到的是确认人的说明，而非记录本身。" }</dd>
                    <dt>{ "待完成" }</dt><dd>{ "期限未到；临近期限时以黄色提示剩余时间。" }</dd>
                </dl>
            }
        </div>
    }
}
