use std::rc::Rc;

use yew::prelude::*;

use crate::media::{overall, show_eta, show_rate, show_size, MediaEntry};

/// Props of [`MediaSummary`].
#[derive(Properties, PartialEq, Clone)]
pub struct MediaSummaryProps {
    /// Every file of the case hashed on this machine.
    pub media: Rc<Vec<MediaEntry>>,
}

/// Overall progress while files are being hashed.
#[function_component]
pub fn MediaSummary(props: &MediaSummaryProps) -> Html {
    let Some((bytes, size, rate, eta)) = overall(&props.media) else { return html! {} };
    let running = props.media.iter().filter(|e| e.is_running()).count();
    let percent = if size > 0.0 { (bytes / size * 100.0) as u32 } else { 0 };
    html! {
        <div class="media-total" role="status" aria-live="polite">
            <progress max="100" value={percent.to_string()} aria-label="全部文件哈希进度"></progress>
            <span>
                { format!("正在本机计算 {running} 个文件的哈希：{percent}%（{} / {}）· {}", show_size(bytes), show_size(size), show_rate(rate)) }
                { eta.map(|s| format!(" · 剩余{}", show_eta(s))).unwrap_or_default() }
            </span>
        </div>
    }
}
