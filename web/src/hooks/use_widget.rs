use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, State};

/// The state and the dispatcher, provided by the root component.
#[derive(Clone)]
pub struct WidgetContext {
    /// The current state.
    pub state: Rc<State>,
    /// Sends an action to the store.
    pub dispatch: Callback<Action>,
}

impl PartialEq for WidgetContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}

/// The widget context; outside a provider, an empty state that ignores actions.
#[hook]
pub fn use_widget() -> WidgetContext {
    use_context::<WidgetContext>()
        .unwrap_or_else(|| WidgetContext { state: Rc::new(State::default()), dispatch: Callback::noop() })
}
