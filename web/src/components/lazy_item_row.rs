use yew::prelude::*;

use super::{ItemRow, ItemRowProps};
use crate::hooks::use_near_screen;

/// An [`ItemRow`] drawn once it comes near the screen. Until then it is a light placeholder of
/// about a row's height, keeping the item's key, status and title: a browser without
/// `content-visibility` (Chromium 83–84) would otherwise lay out every row of a large case
/// before showing the first.
#[function_component]
pub fn LazyItemRow(props: &ItemRowProps) -> Html {
    let node = use_node_ref();
    let near = use_near_screen(node.clone());
    let ctx = crate::hooks::use_widget();
    let wanted = ctx.state.focus.as_ref().is_some_and(|(k, _)| *k == props.item.key);
    if near || wanted {
        return html! { <ItemRow ..props.clone() /> };
    }
    let item = &props.item;
    html! {
        <li ref={node} class="item lazy" data-key={item.key.clone()} data-status={item.status.code()} aria-busy="true">
            <span class="title">{ item.title.clone() }</span>
        </li>
    }
}
