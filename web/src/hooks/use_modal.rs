use yew::prelude::*;

/// Opens the referenced `<dialog>` as a page-level modal once it is in the document, and moves
/// keyboard focus to `focus` inside it; the dialog closes when the component goes.
///
/// A modal `<dialog>` (Chromium 37+) is drawn in the browser's top layer: centred on the
/// viewport and over the whole platform page, whatever box the widget sits in (the widget's
/// `contain: content` would otherwise clip a fixed overlay to its own box), with the page
/// behind it inert.
#[hook]
pub fn use_modal(dialog: NodeRef, focus: NodeRef) {
    use_effect_with((), move |_| {
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
        }
    });
}
