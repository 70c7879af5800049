//! Hooks shared by components.

use web_sys::HtmlElement;
use yew::prelude::*;

/// A scrolled window on a long list: `(scroll top, viewport height)` of the element behind
/// `node`, measured once it is on screen and on every scroll (the `onscroll` handler to
/// attach). Components draw only the rows this window shows.
#[hook]
pub fn use_scroll_window(
    node: NodeRef,
    initial_height: f64,
) -> (UseStateHandle<(f64, f64)>, Callback<Event>) {
    let window = use_state(|| (0.0f64, initial_height));
    {
        let window = window.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<HtmlElement>() {
                window.set((el.scroll_top() as f64, el.client_height() as f64));
            }
        });
    }
    let onscroll = {
        let window = window.clone();
        Callback::from(move |e: Event| {
            let el: HtmlElement = e.target_unchecked_into();
            window.set((el.scroll_top() as f64, el.client_height() as f64));
        })
    };
    (window, onscroll)
}
