use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, State};

/// What the officer asks of the loader's hashing: attach or verify the picked files, cancel
/// or remove an entry. Not state: the store passes it to the host page as an event.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRequest {
    /// `attach`, `verify`, `check` (a file against `sha256`), `cancel` or `remove`.
    pub action: &'static str,
    /// The item key, for `attach`.
    pub item: Option<String>,
    /// The entry id, for the others.
    pub entry: Option<String>,
    /// For `check`: the SHA-256 the case records.
    pub sha256: Option<String>,
    /// The files picked (`File` objects).
    pub files: Option<js_sys::Array>,
}

/// The state and the dispatcher, provided by the root component.
#[derive(Clone)]
pub struct WidgetContext {
    /// The current state.
    pub state: Rc<State>,
    /// Sends an action to the store.
    pub dispatch: Callback<Action>,
    /// Sends a request to the loader's hashing.
    pub request: Callback<MediaRequest>,
}

impl PartialEq for WidgetContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch && self.request == other.request
    }
}

/// The widget context; outside a provider, an empty state that ignores actions.
#[hook]
pub fn use_widget() -> WidgetContext {
    use_context::<WidgetContext>().unwrap_or_else(|| WidgetContext {
        state: Rc::new(State::default()),
        dispatch: Callback::noop(),
        request: Callback::noop(),
    })
}
