use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Moves keyboard focus to the referenced element once it is in the document, so a modal
/// opened by a submit attempt is where keyboard users land.
#[hook]
pub fn use_focus_on_mount(node: NodeRef) {
    use_effect_with((), move |_| {
        if let Some(el) = node.cast::<web_sys::HtmlElement>() {
            let _ = el.focus();
        } else if let Some(el) = node.get().and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}
