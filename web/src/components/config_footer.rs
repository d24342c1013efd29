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
        ConfigOrigin::Local => "管理员本地编辑，尚未交平台发布",
    };
    let pack = s.report.as_ref().map(|r| {
        let p = &r.view.pack;
        let effective = p.effective.as_deref().map(|d| format!("，{d} 起施行")).unwrap_or_default();
        // The regulation by its title, as officers know it; the pack id is the platform's business.
        format!("依据：《{}》（规则版本 {}{effective}）", p.title, p.version)
    });
    // What the config holds, and (with a case checked) how many of those apply to this case.
    let c = &s.config;
    let configured = c.rules.len()
        + c.procedures.values().map(|m| m.len()).sum::<usize>()
        + c.departments.values().map(|m| m.len()).sum::<usize>();
    let adjust = match s.report.as_ref().map(|r| r.view.overrides) {
        Some(n) => format!("{origin}：{configured} 项调整，本案适用 {n} 项"),
        None => format!("{origin}：{configured} 项调整"),
    };
    let notices: Vec<String> = s.config_notice.iter().chain(s.fit_notice.iter()).cloned().collect();
    html! {
        <footer class="cfg" aria-label="适用的规则与配置" data-fingerprint={fingerprint.clone()}
            data-origin={format!("{:?}", s.config_origin)}>
            { for notices.into_iter().map(|n| html! { <p class="cfg-notice" role="alert">{ n }</p> }) }
            <p>
                if let Some(p) = pack { <span>{ p }</span>{ " · " } }
                <span>{ adjust }</span>
            </p>
            <p>{ "本机关配置指纹（SHA-256）：" }<code class="fp">{ fingerprint }</code></p>
        </footer>
    }
}
