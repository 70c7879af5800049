// Hostile input in the browser: a folder of files nested 10,000 deep, strings doubled 64
// times, loops of a trillion turns and a ring of revisions ends with diagnostics naming
// each file, the app stays usable (the sample loads next); and if anything panics anyway,
// the page shows an error panel with the message and a way to go on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, screenshot } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser.close(); await server.close(); });

const revision = (id, down, body) => `"""${id}"""
from alembic import op
import sqlalchemy as sa

revision = "${id}"
down_revision = ${down ? `"${down}"` : 'None'}


def upgrade():
${body}


def downgrade():
    pass
`;

/** The hostile folder (a part of tests/support/hostile.rs's): file name → [text, expected code]. */
function hostileFolder() {
  const doubling = (step) => '    x = "ab"\n' + `    x = ${step}\n`.repeat(64) + '    op.execute(x)';
  let ifs = '';
  for (let i = 0; i < 150; i += 1) ifs += `${'    '.repeat(i + 1)}if True:\n`;
  ifs += `${'    '.repeat(151)}op.execute("SELECT 1")`;
  const cases = [
    ['deep_brackets', `    x = ${'['.repeat(10000)}1${']'.repeat(10000)}`, 'python-refused'],
    ['deep_calls', `    x = ${'sa.func.f('.repeat(10000)}1${')'.repeat(10000)}`, 'python-refused'],
    ['long_concat', `    op.execute(${Array(20000).fill('"a"').join(' + ')})`, 'python-refused'],
    ['deep_indent', ifs, 'python-refused'],
    ['double_plus', doubling('x + x'), 'evaluation-limit'],
    ['double_fstring', doubling('f"{x}{x}"'), 'evaluation-limit'],
    ['long_loops', '    for a in range(10000):\n        for b in range(10000):\n            op.execute("SELECT 1")', 'evaluation-limit'],
  ];
  const files = { 'h000_base.py': [revision('h000', null, '    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))'), null] };
  let prev = 'h000';
  cases.forEach(([name, body, code], k) => {
    const id = `h${String(k + 1).padStart(3, '0')}`;
    files[`${id}_${name}.py`] = [revision(id, prev, body), code];
    prev = id;
  });
  return files;
}

test('a folder of hostile files ends with diagnostics, and the app goes on', async () => {
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-hostile-'));
  const files = hostileFolder();
  for (const [name, [text]] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.waitForFunction(() => document.querySelector('.graph-viewport')?.dataset.rows === '8', null, { timeout: 120_000 });
  await page.click('#tab-diagnostics');
  const text = await page.textContent('.diagnostics');
  for (const [name, [, code]] of Object.entries(files)) {
    if (!code) continue;
    assert.match(text, new RegExp(`${name.replace('.', '\\.')}:\\d+[^\\n]*\\[${code}\\]`), `${name}: ${code}`);
  }
  await screenshot(page, 'hostile-diagnostics');
  // the app is still usable: the sample loads
  await page.click('#load-sample');
  await page.waitForFunction(() => /32 revisions/.test(document.querySelector('.summary')?.textContent ?? ''), null, { timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('a revision ring of 20,000 files is diagnosed', async () => {
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-ring-'));
  const n = 20000;
  const id = (i) => `c${String(i).padStart(6, '0')}`;
  for (let i = 0; i < n; i += 1) {
    fs.writeFileSync(path.join(dir, `${id(i)}.py`), `revision = "${id(i)}"\ndown_revision = "${id((i + n - 1) % n)}"\n`);
  }
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.waitForSelector('.summary', { timeout: 180_000 });
  assert.match(await page.textContent('.summary'), /0 revisions/);
  await page.click('#tab-diagnostics');
  assert.match(await page.textContent('.diagnostics'), /revision-cycle/);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('if the app panics anyway, it shows the message and a way to go on', async () => {
  const { page, errors } = browser;
  // a fresh document (a change of the fragment alone would not load the page again)
  await page.goto('about:blank');
  await page.goto(`${server.url}#selftest=panic`);
  await page.waitForSelector('#fatal', { timeout: 30_000 });
  assert.match(await page.textContent('#fatal'), /The planner stopped.*self-test/s);
  await screenshot(page, 'fatal-panel');
  // the panic is reported in the console too; nothing else is
  assert.ok(errors.length >= 1 && errors.every((e) => /self-test|unreachable|RuntimeError/.test(e)), errors.join('\n'));
  errors.length = 0;
  await page.click('#fatal-reload');
  await page.waitForSelector('#load-sample');
  await page.click('#load-sample');
  await page.waitForFunction(() => /32 revisions/.test(document.querySelector('.summary')?.textContent ?? ''), null, { timeout: 60_000 });
  assert.deepEqual(errors, [], 'no console errors after reloading');
});
