// Browser benchmark (not a test): uploads the generated folders that `cargo bench --bench
// parse` leaves in target/bench-projects/ to the built app in headless Chromium and reports
// (a) the time the core spends in wasm (parse, graph, history order, lane layout, table map,
// measured by the app) and (b) the time from the folder input's change event to an
// interactive graph: drawn, and a click on a revision selecting it; (c) the Schema and
// Tables tabs from the click to their content; and (d) the main thread's longest task in
// each (Long Tasks API: every task over 50 ms is one).
// Run by `scripts/dev.sh bench`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, serveDist, launch } from './support.mjs';

const dist = path.join(ROOT, 'dist');
const wasm = fs.readdirSync(dist).find((f) => f.endsWith('.wasm'));
const raw = fs.readFileSync(path.join(dist, wasm));
console.log(`wasm: ${(raw.length / 1e6).toFixed(2)} MB raw, ${(zlib.gzipSync(raw, { level: 9 }).length / 1e6).toFixed(2)} MB gzipped, ${(zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1e6).toFixed(2)} MB brotli`);

const server = await serveDist();
const browser = await launch();
const { page } = browser;

/** Records the main thread's long tasks (over 50 ms) from now on in `window.__long`, and
 * in `window.__drawnAt` the first frame showing a graph (timed in the page: a round trip
 * of the test driver would wait behind the page's own slices of work). */
async function watchLongTasks() {
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask' });
    window.__drawnAt = null;
    const drawn = () => {
      if (document.querySelector('.graph-viewport')?.dataset.rows && document.querySelector('.graph-svg .node')) window.__drawnAt = performance.now();
      else requestAnimationFrame(drawn);
    };
    requestAnimationFrame(drawn);
  });
}

/** The longest long task since `t` (performance.now() time), and how many there were. */
const longestSince = (t) => page.evaluate((t) => {
  const ts = window.__long.filter((e) => e.start + e.ms >= t);
  return { longest: Math.max(0, ...ts.map((e) => e.ms)), count: ts.length };
}, t);

/** Clicks `#tab-<name>` and waits for `selector`: the time from the click, and its longest task. */
async function openTab(name, selector) {
  const t = await page.evaluate((name) => { window.__tabStart = performance.now(); document.querySelector(`#tab-${name}`).click(); return window.__tabStart; }, name);
  await page.waitForSelector(selector, { timeout: 300_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const ms = await page.evaluate(() => performance.now() - window.__tabStart);
  return { ms, ...(await longestSince(t)) };
}

/** Opens the app afresh and picks `dir`; `window.__benchStart` is the change event's time. */
async function upload(dir) {
  await page.goto(server.url);
  await page.waitForSelector('#dir', { state: 'attached' });
  await watchLongTasks();
  await page.evaluate(() => {
    window.__benchStart = null;
    // the browser fills the input (one task, its own, before the change event); the
    // app's tasks are the ones after the change event
    document.querySelector('#dir').addEventListener('change', () => { window.__appFrom = window.__benchStart = performance.now(); }, { once: true });
  });
  await page.setInputFiles('#dir', dir);
}

/**
 * Opens the app afresh and drops `dir`'s files as File objects made in the page from their
 * text: files already in memory, so the time measured is the app's, not the disk's.
 */
async function dropInMemory(dir) {
  const files = fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
  await page.goto(server.url);
  await page.waitForSelector('.app');
  await watchLongTasks();
  // the files are made in a task of their own: the app's tasks are the ones after it
  await page.evaluate((files) => {
    window.__dt = new DataTransfer();
    for (const [name, text] of files) window.__dt.items.add(new File([text], name));
  }, files);
  await page.evaluate(() => {
    window.__appFrom = window.__benchStart = performance.now();
    document.querySelector('.app').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__dt }));
  });
}

/**
 * The loading stages' times (the app's `load:*` performance marks of the last load) and
 * each long task since `from` with the stage it started in: where a long task comes from.
 */
const stages = (from) => page.evaluate((from) => {
  const marks = performance.getEntriesByType('mark').filter((m) => /^(load|lint|views):/.test(m.name) && m.startTime >= from);
  const parts = marks.map((m, i) => `${m.name} ${((marks[i + 1]?.startTime ?? m.startTime) - m.startTime).toFixed(0)}`);
  const stageOf = (t) => [...marks].reverse().find((m) => m.startTime <= t)?.name ?? 'reading';
  const long = window.__long.filter((e) => e.start >= from).map((e) => `${e.ms.toFixed(0)} ms in ${stageOf(e.start)}`);
  return `stages (ms): ${parts.join(', ')}; long tasks: ${long.join(', ') || 'none'}`;
}, from);

/** Waits for the graph of `n` revisions, clicks a revision; the times since `__benchStart`. */
async function interactive(n) {
  await page.waitForFunction((count) => document.querySelector('.graph-viewport')?.dataset.rows === String(count)
    && document.querySelector('.graph-svg .node'), n, { timeout: 300_000 });
  const drawn = await page.evaluate(() => window.__drawnAt - window.__benchStart);
  // interactive: a click selects (the selection is drawn and the detail pane filled),
  // timed in the page from the click to the first frame showing both (a round trip of the
  // test driver would wait behind the page's own slices of work and count them)
  const click = await page.evaluate(() => new Promise((resolve) => {
    const t = performance.now();
    document.querySelectorAll('.graph-svg .node')[3].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const shown = () => {
      if (document.querySelector('.graph-svg .node[aria-selected="true"]') && document.querySelector('.detail h2')) {
        resolve(performance.now() - t);
      } else requestAnimationFrame(shown);
    };
    requestAnimationFrame(shown);
  }));
  await page.waitForSelector('.detail h2');
  return page.evaluate(([drawn, click]) => ({
    drawn,
    // the graph drawn, then a click answered (as a user's click the moment it is drawn)
    total: drawn + click,
    click,
    analysis: Number(document.querySelector('.summary').dataset.analysisMs),
    longest: Math.max(0, ...window.__long.filter((e) => e.start >= window.__appFrom - 1).map((e) => e.ms)),
    longCount: window.__long.filter((e) => e.start >= window.__appFrom - 1).length,
    browser: Math.max(0, ...window.__long.filter((e) => e.start < window.__appFrom - 1).map((e) => e.ms)),
  }), [drawn, click]);
}

try {
  const t0 = Date.now();
  await page.goto(server.url);
  await page.waitForSelector('#load-sample');
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime);
  console.log(`first load: first contentful paint ${fcp.toFixed(0)} ms; interactive toolbar ${Date.now() - t0} ms`);
  for (const n of [1000, 5000, 10000]) {
    const dir = path.join(ROOT, `target/bench-projects/n${n}/versions`);
    if (!fs.existsSync(dir)) { console.log(`skip ${n}: run cargo bench --bench parse first`); continue; }
    await dropInMemory(dir);
    const m = await interactive(n);
    console.log(`  ${await stages(await page.evaluate(() => window.__appFrom - 1))}`);
    // the graph scrolled: 600 px, then to the middle of the history (from the scroll to the
    // rows drawn at the new place: two animation frames)
    const graphScroll = (to) => page.evaluate((to) => new Promise((resolve) => {
      const v = document.querySelector('.graph-viewport');
      const t = performance.now();
      v.scrollTop = to === 'middle' ? v.scrollHeight / 2 : v.scrollTop + 600;
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t)));
    }), to);
    const scrolled = { by600: await graphScroll('600'), middle: await graphScroll('middle') };
    console.log(`${n} revisions: a 600 px scroll of the graph drawn in ${scrolled.by600.toFixed(0)} ms, a jump to its middle in ${scrolled.middle.toFixed(0)} ms (two frames each)`);
    console.log(`${n} revisions, files in memory: core in wasm ${m.analysis.toFixed(0)} ms; drop to graph drawn ${m.drawn.toFixed(0)} ms, to a click answered ${m.total.toFixed(0)} ms (the click itself ${m.click.toFixed(0)} ms to the frame showing it); the app's longest main-thread task ${m.longest.toFixed(0)} ms (${m.longCount} over 50 ms)`);
    await upload(dir);
    const d = await interactive(n);
    console.log(`${n} revisions, picked from disk: folder input's change to a click answered ${d.total.toFixed(0)} ms (the browser reads ${n} files from disk first); the app's longest main-thread task ${d.longest.toFixed(0)} ms (${d.longCount} over 50 ms; the browser's own filling of the input: ${d.browser.toFixed(0)} ms)`);
    // wait for what the app computes after the first paint (findings), then the tabs
    await page.waitForTimeout(2000);
    const schema = await openTab('schema', 'section.schema');
    const tables = await openTab('tables', 'section.tables');
    console.log(`${n} revisions: Schema tab ${schema.ms.toFixed(0)} ms (longest task ${schema.longest.toFixed(0)} ms), Tables tab ${tables.ms.toFixed(0)} ms (longest task ${tables.longest.toFixed(0)} ms)`);
  }
  // upgrade base:heads --sql for 5,000 schema-changing revisions as rich as real ones: from
  // the SQL tab's click to the script in its pane (plan, interpretation cached at load,
  // rendering; a long script's lines in view drawn and highlighted)
  const schemaDir = path.join(ROOT, 'target/bench-projects/rich5000/versions');
  if (fs.existsSync(schemaDir)) {
    await upload(schemaDir);
    await page.waitForFunction(() => document.querySelector('.graph-viewport')?.dataset.rows === '5000', null, { timeout: 300_000 });
    const loaded = await page.evaluate(() => window.__drawnAt - window.__benchStart);
    // the table map (Tables view, the schema's diagnostics), simulated once the graph is
    // drawn: when it is there
    await page.waitForFunction(() => performance.getEntriesByName('views:tables-done').length > 0, null, { timeout: 300_000 });
    const mapped = await page.evaluate(() => performance.getEntriesByName('views:tables-done').at(-1).startTime - window.__benchStart);
    await page.waitForTimeout(2000);
    console.log(`  ${await stages(await page.evaluate(() => window.__appFrom - 1))}`);
    const long = await page.evaluate(() => ({ longest: Math.max(0, ...window.__long.filter((e) => e.start >= window.__appFrom - 1).map((e) => e.ms)) }));
    const sqlFrom = await page.evaluate(() => { window.__sqlStart = performance.now(); document.querySelector('#tab-sql').click(); return window.__sqlStart; });
    // the whole script: a long one is drawn a screenful at a time (the pane says its size);
    // a short one ends with COMMIT on PostgreSQL, with the last version update where DDL is
    // not transactional (the app takes the dialect from the project)
    await page.waitForFunction(() => {
      const pre = document.querySelector('pre[aria-label="Offline SQL"]');
      if (pre?.dataset.bytes && pre.querySelector('.kw')) return true;
      const last = pre?.textContent.trimEnd().split('\n').pop() ?? '';
      return last === 'COMMIT;' || last.startsWith('UPDATE alembic_version SET');
    }, null, { timeout: 300_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const { sql, bytes, dialect } = await page.evaluate(() => {
      const pre = document.querySelector('pre[aria-label="Offline SQL"]');
      return {
        sql: performance.now() - window.__sqlStart,
        bytes: Number(pre.dataset.bytes ?? pre.textContent.length),
        dialect: document.querySelector('#plan-dialect')?.value,
      };
    });
    const sqlLong = await longestSince(sqlFrom);
    // a scroll of the long script: from the scroll to the lines drawn at the new place
    const scroll = await page.evaluate(() => new Promise((resolve) => {
      const pre = document.querySelector('pre[aria-label="Offline SQL"]');
      const t = performance.now();
      pre.scrollTop += 600;
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t)));
    }));
    console.log(`rich 5000: load (parse + interpret) to the graph drawn ${loaded.toFixed(0)} ms, the table map ready ${mapped.toFixed(0)} ms after the change event, the app's longest main-thread task from the change event on ${long.longest.toFixed(0)} ms; upgrade base:heads --sql (${dialect ?? 'the detected dialect'}) to the pane ${sql.toFixed(0)} ms (${(bytes / 1024).toFixed(0)} KB; longest task ${sqlLong.longest.toFixed(0)} ms); a 600 px scroll of it drawn in ${scroll.toFixed(0)} ms (two frames)`);
  } else {
    console.log('skip rich 5000: run cargo bench --bench parse first (with .venv)');
  }
} finally {
  await browser.close();
  await server.close();
}
