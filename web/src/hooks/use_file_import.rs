use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::use_widget;
use crate::state::Action;

/// A `change` handler for a file input: reads the chosen file as text and hands it to the
/// reducer as a config to import (or the reason it could not be read).
#[hook]
pub fn use_file_import() -> Callback<Event> {
    let ctx = use_widget();
    Callback::from(move |e: Event| {
        let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        let dispatch = ctx.dispatch.clone();
        let name = file.name();
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let parsed = match text.ok().and_then(|t| t.as_string()) {
                Some(t) => crate::engine::parse_config(&t).map(Rc::new).map_err(|e| format!("`{name}`：{e}")),
                None => Err(format!("无法读取文件 `{name}`")),
            };
            dispatch.emit(Action::AdminImport(parsed));
        });
    })
}
