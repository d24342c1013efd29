use yew::prelude::*;

use crate::hooks::use_widget;
use crate::state::ConfigOrigin;

/// Props of [`ConfigFooter`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConfigFooterProps {}

/// The rules the checklist runs under, for officers and reviewers (and on paper): pack,
/// version, the config's fingerprint, and why a given config was set aside.
#[function_component]
pub fn ConfigFooter(_props: &ConfigFooterProps) -> Html {
    let ctx = use_widget();
    let s = &ctx.state;
    let fingerprint = s.report.as_ref().map(|r| r.view.fingerprint.clone()).unwrap_or_default();
    let fingerprint = if fingerprint.is_empty() { crate::engine::fingerprint(&s.config) } else { fingerprint };
    let origin = match s.config_origin {
        ConfigOrigin::PackDefaults => "规则包默认设置",
        ConfigOrigin::Host => "平台下发的本机关配置",
        ConfigOrigin::Local => "管理员本地编辑（尚未交平台发布）",
    };
    let pack = s.report.as_ref().map(|r| {
        let p = &r.view.pack;
        let effective = p.effective.as_deref().map(|d| format!("，{d} 起施行")).unwrap_or_default();
        format!("规则包：{} {} 版本 {}{effective}", p.agency, p.id, p.version)
    });
    let overrides = s.report.as_ref().map(|r| r.view.overrides).unwrap_or(0);
    let notices: Vec<String> = s.config_notice.iter().chain(s.fit_notice.iter()).cloned().collect();
    html! {
        <footer class="cfg" aria-label="适用的规则与配置" data-fingerprint={fingerprint.clone()}
            data-origin={format!("{:?}", s.config_origin)}>
            { for notices.into_iter().map(|n| html! { <p class="cfg-notice" role="alert">{ n }</p> }) }
            <p>
                if let Some(p) = pack { <span>{ p }</span>{ " · " } }
                <span>{ format!("{origin}（{overrides} 项调整）") }</span>
            </p>
            <p>{ "本机关配置指纹（SHA-256）：" }<code class="fp">{ fingerprint }</code></p>
        </footer>
    }
}
