//! Small browser side effects shared by components: saving a file, the clipboard, the
//! address bar, waiting for the next turn of the event loop.

use wasm_bindgen::JsCast;

/// Saves `text` as a file through a temporary object URL.
pub fn download(text: &str, filename: &str, mime: &str) {
    let blob = gloo_file::Blob::new_with_options(text, Some(mime));
    let url = gloo_file::ObjectUrl::from(blob);
    let a = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = a {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    // the URL is revoked when `url` drops
}

pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The address's fragment, `#` included (empty when there is none).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Writes the fragment into the address: a new history entry, or replacing the current one.
pub fn set_location_hash(fragment: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let _ = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment))
    };
}

/// Resolves on a later turn of the event loop, so the browser can paint and handle input
/// between chunks of work. A message posted to a `MessageChannel` of our own, not
/// `setTimeout(0)`: the browser holds nested timeouts back at least 4 ms each, which was
/// a sixth of a load done in 20 ms slices (timeouts remain the fallback).
pub async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if !TICKS.with(|t| t.post(resolve.clone())) {
            gloo_timers::callback::Timeout::new(0, move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            })
            .forget();
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The channel `next_tick` posts to, and the waiters its messages wake, first come first
/// woken (each posted message wakes one).
struct Ticks {
    channel: Option<(
        web_sys::MessageChannel,
        wasm_bindgen::closure::Closure<dyn FnMut()>,
    )>,
    waiting: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<js_sys::Function>>>,
}

thread_local! {
    static TICKS: Ticks = Ticks::new();
}

impl Ticks {
    fn new() -> Ticks {
        let waiting: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<js_sys::Function>>> =
            Default::default();
        let woken = std::rc::Rc::clone(&waiting);
        let on_message = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let next = woken.borrow_mut().pop_front();
            if let Some(resolve) = next {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        });
        let channel = web_sys::MessageChannel::new().ok().map(|c| {
            c.port1()
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // port2 is the one posted to; the channel and handler are kept for good
            (c, on_message)
        });
        Ticks { channel, waiting }
    }

    /// Wakes `resolve` on a later turn; false if there is no channel.
    fn post(&self, resolve: js_sys::Function) -> bool {
        let Some((channel, _)) = &self.channel else {
            return false;
        };
        self.waiting.borrow_mut().push_back(resolve);
        if channel
            .port2()
            .post_message(&wasm_bindgen::JsValue::UNDEFINED)
            .is_err()
        {
            self.waiting.borrow_mut().pop_back();
            return false;
        }
        true
    }
}

/// How long work runs on the page's one thread before it yields, in milliseconds: a turn
/// of the event loop stays well under the 50 ms a long task starts at.
const SLICE_MS: f64 = 20.0;

/// Main-thread time for work done in small pieces: [`Slice::due`] once the slice is used
/// up, [`Slice::pause`] to let the browser paint and handle input, then a fresh slice.
pub struct Slice(f64);

impl Slice {
    pub fn new() -> Slice {
        Slice(now())
    }

    pub fn due(&self) -> bool {
        now() - self.0 > SLICE_MS
    }

    pub async fn pause(&mut self) {
        next_tick().await;
        self.0 = now();
    }

    /// Pauses if the slice is used up.
    pub async fn pause_if_due(&mut self) {
        if self.due() {
            self.pause().await;
        }
    }
}

/// Milliseconds since the page started, for the timings the benchmark reads.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// A named point on the page's performance timeline (the benchmark reads the loading
/// stages' marks: `load:parse`, `load:graph`, `load:tables`, `load:views`, `load:done`).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

pub fn element_by_id(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// A setting saved in local storage (the theme).
pub fn stored(key: &str) -> Option<String> {
    use gloo_storage::Storage;
    gloo_storage::LocalStorage::get::<String>(key).ok()
}

pub fn store(key: &str, value: &str) {
    use gloo_storage::Storage;
    let _ = gloo_storage::LocalStorage::set(key, value);
}

/// Sets `data-theme` on the document element (CSS picks colours from it).
pub fn apply_theme(theme: crate::state::Theme) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        if theme == crate::state::Theme::Auto {
            let _ = el.remove_attribute("data-theme");
        } else {
            let _ = el.set_attribute("data-theme", theme.name());
        }
    }
}

/// Scrolls `el` so a row `height` pixels tall at `y` is in view (centred when it was not),
/// and returns the new `(scroll top, viewport height)`; `None` when it already was.
pub fn keep_in_view(el: &web_sys::HtmlElement, y: f64, height: f64) -> Option<(f64, f64)> {
    let (top, h) = (el.scroll_top() as f64, el.client_height() as f64);
    if y >= top && y + height <= top + h {
        return None;
    }
    el.set_scroll_top((y - h / 2.0).max(0.0) as i32);
    Some((el.scroll_top() as f64, h))
}

/// Shows that the app stopped (a panic, which ends the wasm instance): the message, and a
/// way to go on (reloading the page; the files never left the machine). Built with plain
/// DOM calls, since the app's own rendering is gone by then.
pub fn show_fatal(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("fatal").is_some() {
        return;
    }
    let el = |tag: &str, text: &str| {
        let e = doc.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let Ok(panel) = doc.create_element("section") else {
        return;
    };
    panel.set_id("fatal");
    panel.set_class_name("fatal");
    let _ = panel.set_attribute("role", "alert");
    let reload = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    let parts = [
        el("h2", "The planner stopped"),
        el(
            "p",
            "Something in what was opened made the planner fail. This is a bug in the planner, not in your migrations: the message below says where.",
        ),
        el("pre", message),
        el("p", "Your files never left this machine. Reload the page, then open them again or another folder."),
    ];
    for p in parts.into_iter().flatten() {
        let _ = panel.append_child(&p);
    }
    if let Ok(a) = doc.create_element("a") {
        a.set_text_content(Some("Reload the planner"));
        let _ = a.set_attribute("href", &reload);
        a.set_id("fatal-reload");
        a.set_class_name("button");
        let _ = panel.append_child(&a);
    }
    let _ = body.prepend_with_node_1(&panel);
}
