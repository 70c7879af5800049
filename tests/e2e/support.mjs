// Shared helpers for the end-to-end tests: a static server for dist/ on 127.0.0.1 and a
// headless Chromium driven by playwright-core that records console errors and requests.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
};

/** Serves dist/ on 127.0.0.1 on a free port. */
export async function serveDist() {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error('dist/ is missing: run `trunk build --release` first');
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.join(dist, decodeURIComponent(url.pathname));
    if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches headless Chromium; `errors` collects console errors and page errors. */
export async function launch() {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-chromium-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return {
    page, errors,
    close: async () => { await context.close(); fs.rmSync(userDir, { recursive: true, force: true }); },
  };
}

/** `alembic history` on the sample, run by the real Alembic in .venv: [{id, message}]. */
export function alembicHistory() {
  const alembic = path.join(ROOT, '.venv/bin/alembic');
  const out = execFileSync(alembic, ['history'], {
    cwd: path.join(ROOT, 'migrations-sample'),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0' },
    encoding: 'utf8',
  });
  return out.trimEnd().split('\n').map((line) => {
    const m = /-> (\w+)(?: \([^)]*\))*, (.*)$/.exec(line);
    if (!m) throw new Error(`unexpected alembic history line: ${line}`);
    return { id: m[1], message: m[2] };
  });
}

/** The `-- Running ...` lines of real Alembic's offline script on the sample. */
export function alembicRunningLines(args) {
  const alembic = path.join(ROOT, '.venv/bin/alembic');
  const out = execFileSync(alembic, args, {
    cwd: path.join(ROOT, 'migrations-sample'),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.startsWith('-- Running ')).map((l) => l.slice('-- Running '.length));
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  // caret: 'initial' (Playwright would otherwise inject a <style> the page's CSP refuses)
  await page.screenshot({ path: file, fullPage: false, caret: 'initial' });
  return file;
}

/** Types `value` into an input and fires its change event (the app reads on change). */
export async function setField(page, selector, value) {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
}
