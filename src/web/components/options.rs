//! A `<datalist>` of many values (every revision id of a large history). Its options are
//! written as markup, a thousand per turn of the event loop: as elements made one by one
//! (yew's way) each option cost a clone, a `setAttribute` and a string copied out of the
//! wasm memory, and the three lists of a 5,000-revision folder's SQL tab were tasks of
//! 50-200 ms; a thousand options as one string of markup are parsed by the browser in a
//! few milliseconds. A list of up to a thousand is written with the view.

use std::cell::Cell;
use std::rc::Rc;

use alembic_planner::present::export::xml_text;
use yew::prelude::*;

/// How many options are written per turn.
const CHUNK: usize = 1000;

/// Which list of `source` the datalist offers.
pub type Pick<T> = fn(&T) -> &[String];

#[derive(Properties)]
pub struct OptionsProps<T: 'static> {
    pub id: AttrValue,
    pub source: Rc<T>,
    pub pick: Pick<T>,
}

impl<T> PartialEq for OptionsProps<T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && Rc::ptr_eq(&self.source, &other.source)
            && std::ptr::fn_addr_eq(self.pick, other.pick)
    }
}

/// `values` as `<option>` markup, each value escaped for its attribute.
fn markup(values: &[String]) -> String {
    let mut s = String::with_capacity(values.iter().map(|v| v.len() + 18).sum());
    for v in values {
        s.push_str("<option value=\"");
        s.push_str(&xml_text(v));
        s.push_str("\">");
    }
    s
}

/// The datalist `id`, its options written a chunk a turn. Yew draws the element and never
/// its children: they are this component's own.
#[function_component(Options)]
pub fn options<T: 'static>(props: &OptionsProps<T>) -> Html {
    let node = use_node_ref();
    // which list is being written: a newer list stops the older one's chunks
    let generation = use_memo((), |_| Cell::new(0u64));
    {
        let (node, generation) = (node.clone(), generation.clone());
        let (source, pick) = (Rc::clone(&props.source), props.pick);
        let key = (
            Rc::as_ptr(&props.source) as *const () as usize,
            props.pick as usize,
        );
        use_effect_with(key, move |_| {
            let Some(list) = node.cast::<web_sys::Element>() else {
                return;
            };
            let current = generation.get() + 1;
            generation.set(current);
            let total = pick(&source).len();
            list.set_inner_html(&markup(&pick(&source)[..total.min(CHUNK)]));
            if total > CHUNK {
                wasm_bindgen_futures::spawn_local(async move {
                    let mut from = CHUNK;
                    while from < total {
                        crate::dom::next_tick().await;
                        if generation.get() != current {
                            return;
                        }
                        let to = (from + CHUNK).min(total);
                        let _ = list
                            .insert_adjacent_html("beforeend", &markup(&pick(&source)[from..to]));
                        from = to;
                    }
                });
            }
        });
    }
    html! { <datalist id={props.id.clone()} ref={node} /> }
}
