use yew::prelude::*;

/// Props of [`ConfirmButton`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConfirmButtonProps {
    /// The label before the first click.
    pub label: AttrValue,
    /// The label asking to confirm.
    pub confirm: AttrValue,
    /// Extra class names.
    #[prop_or_default]
    pub class: Classes,
    /// Runs on the second click.
    pub onconfirm: Callback<MouseEvent>,
}

/// A link-style button that asks once more before an action that loses recorded data.
#[function_component]
pub fn ConfirmButton(props: &ConfirmButtonProps) -> Html {
    let asking = use_state(|| false);
    let onclick = {
        let asking = asking.clone();
        let onconfirm = props.onconfirm.clone();
        Callback::from(move |e: MouseEvent| {
            if *asking {
                asking.set(false);
                onconfirm.emit(e);
            } else {
                asking.set(true);
            }
        })
    };
    let onblur = {
        let asking = asking.clone();
        Callback::from(move |_: FocusEvent| asking.set(false))
    };
    html! {
        <button type="button" class={classes!("link", props.class.clone(), asking.then_some("asking"))} {onclick} {onblur}>
            { if *asking { props.confirm.clone() } else { props.label.clone() } }
        </button>
    }
}
