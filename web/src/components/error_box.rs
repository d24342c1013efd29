use yew::prelude::*;

use crate::model::Problem;

/// Props of [`ErrorBox`].
#[derive(Properties, PartialEq, Clone)]
pub struct ErrorBoxProps {
    /// What went wrong.
    pub problem: Problem,
}

/// Why the widget cannot show a checklist; the host page is not affected.
#[function_component]
pub fn ErrorBox(props: &ErrorBoxProps) -> Html {
    html! {
        <div class="err" role="alert">
            <h2>{ "无法生成记录清单" }</h2>
            <p>{ props.problem.said() }</p>
            <p>{ "本提示不影响平台的其他功能。" }</p>
            <p class="support"><small>{ format!("技术信息：{}", props.problem.detail()) }</small></p>
        </div>
    }
}
