// Browser benchmark (not a test): uploads the generated folders that `cargo bench --bench
// parse` leaves in target/bench-projects/ to the built app in headless Chromium and reports
// (a) the time the core spends in wasm (parse + graph + history order, measured by the app)
// and (b) the time from the folder input's change event to the history rows on screen.
// Run by `scripts/dev.sh bench`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, serveDist, launch } from './support.mjs';

const dist = path.join(ROOT, 'dist');
const wasm = fs.readdirSync(dist).find((f) => f.endsWith('.wasm'));
const raw = fs.readFileSync(path.join(dist, wasm));
console.log(`wasm: ${(raw.length / 1e6).toFixed(2)} MB raw, ${(zlib.gzipSync(raw, { level: 9 }).length / 1e6).toFixed(2)} MB gzipped`);

const server = await serveDist();
const browser = await launch();
const { page } = browser;

/** Opens the app afresh and picks `dir`; `window.__benchStart` is the change event's time. */
async function upload(dir) {
  await page.goto(server.url);
  await page.waitForSelector('#dir', { state: 'attached' });
  await page.evaluate(() => {
    window.__benchStart = null;
    document.querySelector('#dir').addEventListener('change', () => { window.__benchStart = performance.now(); }, { once: true });
  });
  await page.setInputFiles('#dir', dir);
}

try {
  const t0 = Date.now();
  await page.goto(server.url);
  await page.waitForSelector('#load-sample');
  console.log(`first load to interactive toolbar: ${Date.now() - t0} ms`);
  for (const n of [1000, 5000, 10000]) {
    const dir = path.join(ROOT, `target/bench-projects/n${n}/versions`);
    if (!fs.existsSync(dir)) { console.log(`skip ${n}: run cargo bench --bench parse first`); continue; }
    await upload(dir);
    await page.waitForFunction((count) => {
      const s = document.querySelector('.summary');
      return s && s.textContent.includes(`${count} revisions`) && document.querySelectorAll('.history li.revision').length === count;
    }, n, { timeout: 300_000 });
    const { total, analysis } = await page.evaluate(() => ({
      total: performance.now() - window.__benchStart,
      analysis: Number(document.querySelector('.summary').dataset.analysisMs),
    }));
    console.log(`${n} revisions: core in wasm ${analysis.toFixed(0)} ms; change event to rows on screen ${total.toFixed(0)} ms`);
  }
  // upgrade base:heads --sql for 5,000 schema-changing revisions: from the Plan tab's
  // click to the whole script in its pane (plan, interpretation cached at load, rendering,
  // highlighting of the first 256 KB)
  const schemaDir = path.join(ROOT, 'target/bench-projects/schema5000/versions');
  if (fs.existsSync(schemaDir)) {
    await upload(schemaDir);
    await page.waitForFunction(() => document.querySelectorAll('.history li.revision').length === 5000, null, { timeout: 300_000 });
    const loaded = await page.evaluate(() => performance.now() - window.__benchStart);
    await page.evaluate(() => { window.__sqlStart = performance.now(); document.querySelector('#tab-plan').click(); });
    await page.waitForFunction(() => {
      const pre = document.querySelector('pre[aria-label="Offline SQL"]');
      return pre && pre.textContent.trimEnd().endsWith('COMMIT;');
    }, null, { timeout: 300_000 });
    const { sql, bytes } = await page.evaluate(() => ({
      sql: performance.now() - window.__sqlStart,
      bytes: document.querySelector('pre[aria-label="Offline SQL"]').textContent.length,
    }));
    console.log(`schema 5000: load (parse + interpret + table map) ${loaded.toFixed(0)} ms; upgrade base:heads --sql to the pane ${sql.toFixed(0)} ms (${(bytes / 1024).toFixed(0)} KB)`);
  } else {
    console.log('skip schema 5000: run cargo bench --bench parse first (with .venv)');
  }
} finally {
  await browser.close();
  await server.close();
}
