use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How far outside the screen an element counts as near: a screen's worth of scrolling either
/// way is drawn before it is seen.
const MARGIN: &str = "800px 0px";

/// Attribute that ties an observed element to its callback.
const ATTR: &str = "data-lrc-near";

thread_local! {
    /// One observer for every row waiting to be drawn (hundreds in a large case), rather than
    /// one each.
    static SHARED: RefCell<Option<Shared>> = const { RefCell::new(None) };
    static NEXT: Cell<u32> = const { Cell::new(0) };
}

struct Shared {
    observer: web_sys::IntersectionObserver,
    waiting: Rc<RefCell<HashMap<u32, Callback<()>>>>,
    _on_change: Closure<dyn FnMut(js_sys::Array)>,
}

fn with_shared<R>(f: impl FnOnce(&Shared) -> R) -> Option<R> {
    SHARED.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let waiting: Rc<RefCell<HashMap<u32, Callback<()>>>> = Rc::default();
            let seen = waiting.clone();
            let on_change = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let mut due = Vec::new();
                for entry in entries.iter().filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok()) {
                    if !entry.is_intersecting() {
                        continue;
                    }
                    let id = entry.target().get_attribute(ATTR).and_then(|v| v.parse::<u32>().ok());
                    if let Some(cb) = id.and_then(|id| seen.borrow_mut().remove(&id)) {
                        due.push(cb);
                    }
                }
                // Called after the map is released: drawing a row may observe or forget others.
                for cb in due {
                    cb.emit(());
                }
            });
            let init = web_sys::IntersectionObserverInit::new();
            init.set_root_margin(MARGIN);
            let observer =
                web_sys::IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &init).ok()?;
            *slot = Some(Shared { observer, waiting, _on_change: on_change });
        }
        slot.as_ref().map(f)
    })
}

/// Whether the browser lays out only what is near the screen by itself (`content-visibility`,
/// Chromium 85+). Where it does not (Chromium 83–84), long lists draw their rows lazily.
pub fn has_content_visibility() -> bool {
    thread_local! {
        static SUPPORTED: bool = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"CSS".into()).ok())
            .and_then(|css| {
                let supports = js_sys::Reflect::get(&css, &"supports".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
                supports.call2(&css, &"content-visibility".into(), &"auto".into()).ok()
            })
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
    }
    SUPPORTED.with(|s| *s)
}

/// Whether the referenced element has come near the screen; once true it stays true, so a
/// row drawn is never taken away again. Without IntersectionObserver it is true at once.
#[hook]
pub fn use_near_screen(node: NodeRef) -> bool {
    let near = use_state(|| false);
    {
        let near = near.clone();
        use_effect_with((), move |_| {
            let id = NEXT.with(|n| {
                let id = n.get();
                n.set(id.wrapping_add(1));
                id
            });
            let element = node.cast::<web_sys::Element>();
            let observed = element.as_ref().and_then(|el| {
                el.set_attribute(ATTR, &id.to_string()).ok()?;
                with_shared(|s| {
                    let near = near.clone();
                    s.waiting.borrow_mut().insert(id, Callback::from(move |()| near.set(true)));
                    s.observer.observe(el);
                })
            });
            if observed.is_none() {
                near.set(true);
            }
            move || {
                if let Some(el) = element {
                    with_shared(|s| {
                        s.waiting.borrow_mut().remove(&id);
                        s.observer.unobserve(&el);
                    });
                }
            }
        });
    }
    *near
}
