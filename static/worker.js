// The analysis worker (src/web/worker.rs): the page's own wasm module, started again in a
// dedicated worker. The page's first message carries the address of the wasm-bindgen glue
// it was started with and the module it compiled; the app's main() sees a worker and
// installs its own message handler. Messages that arrive while it starts are handed to
// that handler once it is there.
const held = [];
let starting = false;
self.onmessage = async (first) => {
  if (starting) { held.push(first); return; }
  starting = true;
  const { glue, module } = first.data;
  const bindings = await import(glue);
  await bindings.default({ module_or_path: module });
  for (const e of held) self.onmessage(e);
};
