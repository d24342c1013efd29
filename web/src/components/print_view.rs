use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{use_modal, use_widget};
use crate::state::Action;

/// Asks the 核查表's frame, not the host page, to print.
fn print_frame(frame: &NodeRef) {
    if let Some(w) = frame.cast::<web_sys::HtmlIFrameElement>().and_then(|f| f.content_window()) {
        let _ = w.print();
    }
}

/// Whether `e` is Ctrl+P (⌘P on a Mac), whatever the case or the input method says the key is.
fn is_print_key(e: &web_sys::KeyboardEvent) -> bool {
    let p = e.key().eq_ignore_ascii_case("p") || e.code() == "KeyP";
    p && (e.ctrl_key() || e.meta_key()) && !e.alt_key()
}

/// Ctrl+P (⌘P) while the preview is open prints the 核查表, as its button does, instead of the
/// host page behind it: the keys are caught on the page's window and, once the sheet has
/// loaded, on the frame's own, where the keys go after a click in the sheet. There Escape
/// closes the preview too: the dialog's own Escape handling does not see keys inside the frame.
/// The listeners are gloo's [`EventListener`]s, removed when dropped: the preview closing, or
/// the widget going without `unmount()`, leaves none on the host page or the frame.
#[hook]
fn use_print_key(frame: NodeRef, close: Callback<()>) {
    use_effect_with((), move |_| {
        // Capture, so the page's own Ctrl+P handling comes after ours; not passive, so the
        // browser's print of the whole page can be prevented.
        let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: false };
        let on_window = web_sys::window().map(|w| {
            let frame = frame.clone();
            EventListener::new_with_options(&w, "keydown", options, move |e| {
                let e = e.unchecked_ref::<web_sys::KeyboardEvent>();
                if is_print_key(e) {
                    e.prevent_default();
                    e.stop_propagation();
                    print_frame(&frame);
                }
            })
        });
        // The sheet's window is a new one each time the frame loads: the listener on the last
        // one is replaced (and the old one removed) on every load.
        let on_frame_window: Rc<RefCell<Option<EventListener>>> = Rc::default();
        let on_load = frame.cast::<web_sys::HtmlIFrameElement>().map(|element| {
            let slot = on_frame_window.clone();
            let frame = frame.clone();
            let target = element.clone();
            EventListener::new(&target, "load", move |_| {
                let Some(w) = element.content_window() else { return };
                let frame = frame.clone();
                let close = close.clone();
                let listener = EventListener::new_with_options(&w, "keydown", options, move |e| {
                    // A keydown is a KeyboardEvent, but of the frame's realm: `instanceof` the
                    // page's KeyboardEvent (what `dyn_ref` asks) says no.
                    let e = e.unchecked_ref::<web_sys::KeyboardEvent>();
                    if is_print_key(e) {
                        e.prevent_default();
                        e.stop_propagation();
                        print_frame(&frame);
                    } else if e.key() == "Escape" {
                        e.prevent_default();
                        close.emit(());
                    }
                });
                *slot.borrow_mut() = Some(listener);
            })
        });
        move || {
            drop(on_window);
            drop(on_load);
            on_frame_window.borrow_mut().take();
        }
    });
}

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
    use_print_key(frame.clone(), ctx.dispatch.reform(|()| Action::ClosePrint));
    let print = {
        let frame = frame.clone();
        Callback::from(move |_: MouseEvent| print_frame(&frame))
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
                    <span class="hint">{ "打印时选择“另存为 PDF”即可归档；预览打开时按 Ctrl+P 也打印本表" }</span>
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
