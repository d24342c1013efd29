use std::rc::Rc;

use yew::prelude::*;

use crate::hooks::{use_modal, use_widget};
use crate::state::Action;

/// Props of [`PrintView`].
#[derive(Properties, PartialEq, Clone)]
pub struct PrintViewProps {
    /// The 核查表 as one HTML document (from the engine).
    pub html: Rc<String>,
}

/// The printable 全过程记录核查表 in a frame of its own, so its A4 print stylesheet applies,
/// with a button that opens the browser's print dialog (where 另存为 PDF files it).
#[function_component]
pub fn PrintView(props: &PrintViewProps) -> Html {
    let ctx = use_widget();
    let frame = use_node_ref();
    let first = use_node_ref();
    let dialog = use_node_ref();
    use_modal(dialog.clone(), first.clone());
    let print = {
        let frame = frame.clone();
        Callback::from(move |_: MouseEvent| {
            let win = frame.cast::<web_sys::HtmlIFrameElement>().and_then(|f| f.content_window());
            if let Some(w) = win {
                let _ = w.print();
            }
        })
    };
    let close = ctx.dispatch.reform(|_: MouseEvent| Action::ClosePrint);
    // The log as the file `rules log verify` reads, offered as a download (a data URL: no
    // Blob plumbing); not while the stored log is still being read, which would look cut off.
    let state = &ctx.state;
    let export = state.log.as_deref().filter(|_| !state.log_loading).map(|log| {
        let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&log.to_json()));
        (href, format!("{}-记录日志.json", log.case_id))
    });
    let cancel = ctx.dispatch.reform(|e: Event| {
        e.prevent_default();
        Action::ClosePrint
    });
    html! {
        <dialog ref={dialog} class="dialog sheet" aria-labelledby="lrc-sheet-title" oncancel={cancel}>
                <div class="row top">
                    <h2 id="lrc-sheet-title">{ "全过程记录核查表" }</h2>
                    <span class="hint">{ "打印时选择“另存为 PDF”即可归档" }</span>
                    <button type="button" class="btn primary" ref={first} onclick={print}>{ "打印 / 另存为 PDF" }</button>
                    if let Some((href, name)) = export {
                        <a class="btn export-log" {href} download={name}>{ "导出记录日志" }</a>
                    }
                    <button type="button" class="btn" onclick={close}>{ "关闭" }</button>
                </div>
                <iframe ref={frame} class="sheet-frame" title="全过程记录核查表" srcdoc={props.html.to_string()} />
        </dialog>
    }
}
