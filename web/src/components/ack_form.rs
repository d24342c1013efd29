use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::dom_id;
use crate::hooks::use_widget;
use crate::state::Action;

/// Props of [`AckForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct AckFormProps {
    /// The item being confirmed.
    pub item: AttrValue,
    /// The moment of the confirmation.
    pub now: AttrValue,
    /// Closes the form (after confirming or on 取消).
    pub onclose: Callback<()>,
}

/// The officer's confirmation that a record exists on paper: what it is and where it is kept,
/// written before it counts. A reviewer reads this note instead of the record.
#[function_component]
pub fn AckForm(props: &AckFormProps) -> Html {
    let ctx = use_widget();
    let draft = use_state(String::new);
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with((), move |_| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let _ = a.focus();
            }
        });
    }
    let min = ctx.state.config.min_note();
    let enough = ctx.state.config.note_is_enough(&draft);
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(a) = e.target_dyn_into::<HtmlTextAreaElement>() {
                draft.set(a.value());
            }
        })
    };
    let confirm = {
        let (item, now, note) = (props.item.to_string(), props.now.to_string(), (*draft).clone());
        let dispatch = ctx.dispatch.clone();
        let onclose = props.onclose.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Acknowledge { item: item.clone(), at: now.clone(), note: note.clone() });
            onclose.emit(());
        })
    };
    let cancel = props.onclose.reform(|_: MouseEvent| ());
    let onkeydown = {
        let onclose = props.onclose.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                onclose.emit(());
            }
        })
    };
    let id = dom_id("ack", &props.item);
    let hint_id = format!("{id}-hint");
    html! {
        <div class="ack-form" role="group" aria-labelledby={format!("{id}-label")} {onkeydown}>
            <label id={format!("{id}-label")} for={id.clone()}>{ "线下已完成：写明纸质记录及其存放位置" }</label>
            <textarea id={id} ref={area} rows="2" value={(*draft).clone()} {oninput}
                placeholder="如：纸质《送达回证》，当事人已签收，见卷宗第12页" aria-describedby={hint_id.clone()} />
            <span class="hint" id={hint_id}>
                { format!("至少 {min} 个字。确认后本项显示为「人工确认」，审核人员将看到确认人、时间和这段说明。") }
            </span>
            <span class="row">
                <button type="button" class="btn primary" disabled={!enough} onclick={confirm}>{ "确认" }</button>
                <button type="button" class="btn" onclick={cancel}>{ "取消" }</button>
            </span>
        </div>
    }
}
