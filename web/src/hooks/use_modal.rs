use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Opens the referenced `<dialog>` as a page-level modal once it is in the document, and moves
/// keyboard focus to `focus` inside it; the dialog closes when the component goes, and focus
/// returns to where it was when the dialog opened (the platform's submit button, say), as the
/// browser does not do it for a dialog closed from code.
///
/// A modal `<dialog>` (Chromium 37+) is drawn in the browser's top layer: centred on the
/// viewport and over the whole platform page, whatever box the widget sits in (the widget's
/// `contain: content` would otherwise clip a fixed overlay to its own box), with the page
/// behind it inert.
#[hook]
pub fn use_modal(dialog: NodeRef, focus: NodeRef) {
    use_effect_with((), move |_| {
        let opener = focused();
        let d = dialog.cast::<web_sys::HtmlDialogElement>();
        if let Some(d) = d.as_ref().filter(|d| !d.open()) {
            let _ = d.show_modal();
        }
        if let Some(el) = focus.cast::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
        move || {
            if let Some(d) = d {
                d.close();
            }
            if let Some(el) = opener.filter(|el| el.is_connected()) {
                let _ = el.focus();
            }
        }
    });
}

/// The element that has keyboard focus, looking inside shadow roots (the platform's page may
/// hold it in a component of its own).
fn focused() -> Option<web_sys::HtmlElement> {
    let mut el = web_sys::window()?.document()?.active_element()?;
    while let Some(inner) = el.shadow_root().and_then(|r| r.active_element()) {
        el = inner;
    }
    el.dyn_into::<web_sys::HtmlElement>().ok()
}
