// `scripts/dev.sh serve`: trunk serves an optimised build (Cargo profile wasm-serve) with no
// live-reload script, so the page's Content-Security-Policy holds and the console stays
// clean; the app works from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { ROOT, launch } from './support.mjs';

let browser;
let serve;
let dist;
let output = '';

const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

async function waitFor(url, minutes) {
  const until = Date.now() + minutes * 60_000;
  while (Date.now() < until) {
    if (serve.exitCode !== null) throw new Error(`serve exited ${serve.exitCode}:\n${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) return res.text();
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`serve did not answer in ${minutes} minutes:\n${output}`);
}

before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) process.kill(-serve.pid, 'SIGTERM');
  if (dist) fs.rmSync(dist, { recursive: true, force: true });
});

test('serve: an optimised build, no reload script, no CSP error', { timeout: 20 * 60_000 }, async () => {
  const port = await freePort();
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-serve-'));
  serve = spawn('scripts/dev.sh', ['serve', '--port', String(port), '--dist', dist], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CARGO_TERM_COLOR: 'never' },
  });
  serve.stdout.on('data', (d) => { output += d; });
  serve.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}/`;
  const html = await waitFor(url, 15);
  // the wasm-serve profile, optimised: not cargo's debug build
  assert.match(output, /`wasm-serve` profile \[optimized\]/);
  // the only inline script is trunk's loader, which the CSP allows by hash
  assert.doesNotMatch(html, /trunk\/ws/);
  assert.match(html, /script-src 'self' 'sha256-/);

  const { page, errors } = browser;
  await page.goto(url);
  await page.click('#load-sample');
  await page.waitForSelector('.summary');
  assert.match(await page.textContent('.summary'), /32 revisions/);
  assert.deepEqual(errors, [], 'no console errors (a CSP violation is one)');
});
