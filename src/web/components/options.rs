//! A `<datalist>` of many values (every revision id of a large history), drawn a thousand
//! options per turn of the event loop: 10,000 options drawn at once were one 150 ms task,
//! each time the Schema or Plan view was opened. A list of up to a thousand is drawn with
//! the view, as before.

use std::rc::Rc;

use yew::prelude::*;

/// How many options are drawn per turn.
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

/// The datalist `id`, its options drawn a chunk a turn.
#[function_component(Options)]
pub fn options<T: 'static>(props: &OptionsProps<T>) -> Html {
    let total = (props.pick)(&props.source).len();
    // what is drawn, for which list (another list starts again from its first chunk)
    let key = (
        Rc::as_ptr(&props.source) as *const () as usize,
        props.pick as usize,
    );
    let drawn = use_state(|| (key, CHUNK));
    let n = if drawn.0 == key { drawn.1 } else { CHUNK }.min(total);
    {
        let drawn = drawn.clone();
        use_effect_with((key, n, total), move |&(key, n, total)| {
            if n < total {
                wasm_bindgen_futures::spawn_local(async move {
                    crate::dom::next_tick().await;
                    drawn.set((key, n + CHUNK));
                });
            }
        });
    }
    html! {
        <datalist id={props.id.clone()}>
            { for (0..n).step_by(CHUNK).map(|from| html! {
                <Chunk<T> source={Rc::clone(&props.source)} pick={props.pick} from={from} to={(from + CHUNK).min(n)} />
            }) }
        </datalist>
    }
}

#[derive(Properties)]
struct ChunkProps<T: 'static> {
    source: Rc<T>,
    pick: Pick<T>,
    from: usize,
    to: usize,
}

impl<T> PartialEq for ChunkProps<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.source, &other.source)
            && std::ptr::fn_addr_eq(self.pick, other.pick)
            && (self.from, self.to) == (other.from, other.to)
    }
}

/// Options `from..to` (a chunk drawn is not drawn again when the next one comes).
#[function_component(Chunk)]
fn chunk<T: 'static>(props: &ChunkProps<T>) -> Html {
    let values = (props.pick)(&props.source);
    html! {
        { for values[props.from.min(values.len())..props.to.min(values.len())].iter().map(|s| html! { <option value={s.clone()} /> }) }
    }
}
