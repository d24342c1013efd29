use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::view::CitationView;

/// Props of [`Citation`].
#[derive(Properties, PartialEq, Clone)]
pub struct CitationProps {
    /// The article and its verbatim quote.
    pub citation: Rc<CitationView>,
    /// DOM id, referenced by the toggle's `aria-controls`.
    pub id: AttrValue,
    /// The regulation's title, so the citation names its source in full.
    #[prop_or_default]
    pub regulation: AttrValue,
}

/// What 复制 puts on the clipboard: the source named in full, then the verbatim quote.
pub fn citation_text(regulation: &str, citation: &CitationView) -> String {
    let source = if regulation.is_empty() { String::new() } else { format!("《{regulation}》") };
    format!("{source}{}：{}", citation.article, citation.quote)
}

/// Copies through a selected, off-screen textarea next to `anchor` and `execCommand('copy')`:
/// the one way that works where `navigator.clipboard` is missing or refused (Chromium 83 on an
/// http intranet page is not a secure context). Focus goes back to `anchor`.
fn copy_by_selection(anchor: &web_sys::HtmlElement, text: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Some(area) =
        doc.create_element("textarea").ok().and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    let _ = area.set_attribute("style", "position:fixed;left:-9999px;top:0;opacity:0");
    let Some(parent) = anchor.parent_node() else { return false };
    if parent.append_child(&area).is_err() {
        return false;
    }
    area.select();
    // `execCommand` is not in web-sys's HtmlDocument without another feature; called by name.
    let ok = js_sys::Reflect::get(&doc, &JsValue::from_str("execCommand"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&doc, &JsValue::from_str("copy")).ok())
        .and_then(|r| r.as_bool())
        .unwrap_or(false);
    let _ = parent.remove_child(&area);
    let _ = anchor.focus();
    ok
}

/// `navigator.clipboard.writeText(text)` when the browser offers it, as a promise.
fn clipboard_promise(text: &str) -> Option<js_sys::Promise> {
    let win: JsValue = web_sys::window()?.into();
    let nav = js_sys::Reflect::get(&win, &JsValue::from_str("navigator")).ok()?;
    let clip = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")).ok().filter(|c| c.is_object())?;
    let write =
        js_sys::Reflect::get(&clip, &JsValue::from_str("writeText")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    write.call1(&clip, &JsValue::from_str(text)).ok()?.dyn_into::<js_sys::Promise>().ok()
}

/// The legal source of an item: article and verbatim quote, with 复制 for pasting it into a
/// document (the regulation's title, the article and the quote).
#[function_component]
pub fn Citation(props: &CitationProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let button = use_node_ref();
    let on_copy = {
        let copied = copied.clone();
        let button = button.clone();
        let text = citation_text(&props.regulation, &props.citation);
        Callback::from(move |_: MouseEvent| {
            let Some(anchor) = button.cast::<web_sys::HtmlElement>() else { return };
            match clipboard_promise(&text) {
                Some(p) => {
                    let copied = copied.clone();
                    let text = text.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let ok = match wasm_bindgen_futures::JsFuture::from(p).await {
                            Ok(_) => true,
                            // Refused (no permission, page not focused): the selection way.
                            Err(_) => copy_by_selection(&anchor, &text),
                        };
                        copied.set(Some(ok));
                    });
                }
                None => copied.set(Some(copy_by_selection(&anchor, &text))),
            }
        })
    };
    html! {
        <blockquote class="cite" id={props.id.clone()} role="note" aria-label="依据">
            <strong>
                if !props.regulation.is_empty() { { format!("《{}》", props.regulation) } }
                { props.citation.article.clone() }
            </strong>
            <button type="button" class="link copy" ref={button} onclick={on_copy}
                aria-label={format!("复制{}的条文", props.citation.article)}>{ "复制" }</button>
            <span class="copied" role="status">
                { match *copied {
                    Some(true) => "已复制条文名称与原文",
                    Some(false) => "复制未成功，请选中文字后按 Ctrl+C",
                    None => "",
                } }
            </span>
            <p>{ props.citation.quote.clone() }</p>
        </blockquote>
    }
}
