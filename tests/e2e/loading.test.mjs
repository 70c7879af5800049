// Each way of loading: the project folder (alembic.ini names the versions), a .zip, a dropped
// folder read recursively, a dropped .zip, and a damaged archive; each shows its summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serveDist, launch, alembicHistory, screenshot } from './support.mjs';

let server;
let browser;
const expected = alembicHistory();
const SAMPLE = path.join(ROOT, 'migrations-sample');

before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A .zip of `dir` (its own folder name included), made by Python's zipfile. */
function zipOf(dir) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ap-zip-')), `${path.basename(dir)}.zip`);
  execFileSync('python3', ['-c', `
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
base = os.path.dirname(src)
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, base))
`, dir, out]);
  return out;
}

async function graphIds(page) {
  await page.waitForSelector('.graph-svg .node');
  return page.$$eval('.graph-svg .node', (gs) => gs.map((g) => g.dataset.rev));
}

const summary = (page) => page.textContent('.summary');

test('the project folder: alembic.ini says where the versions are', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.setInputFiles('#dir', SAMPLE);
  assert.deepEqual(await graphIds(page), expected.map((r) => r.id));
  assert.match(await summary(page), /migrations-sample\/versions · 32 revisions · 2 heads · 1 base/);
  assert.match(await summary(page), /found by script_location in migrations-sample\/alembic\.ini/);
  await screenshot(page, 'load-project-folder');
  assert.deepEqual(errors, [], 'no console errors');
});

test('a .zip of the project, from the archive button', async () => {
  const { page, errors } = browser;
  const zip = zipOf(SAMPLE);
  await page.goto(server.url);
  await page.setInputFiles('#zip', zip);
  assert.deepEqual(await graphIds(page), expected.map((r) => r.id));
  assert.match(await summary(page), /migrations-sample\.zip: migrations-sample\/versions · 32 revisions/);
  fs.rmSync(path.dirname(zip), { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

/**
 * Drops `tree` ({name: text | subtree}) on the page as the browser hands a dropped folder
 * over: DataTransfer items whose entries are read through createReader/readEntries (in
 * batches) and file(), here made in the page (a real drag cannot be synthesised).
 */
async function dropTree(page, rootName, tree) {
  await page.waitForSelector('.app');
  await page.evaluate(({ rootName, tree }) => {
    const fileEntry = (name, fullPath, text) => ({
      isDirectory: false, isFile: true, name, fullPath,
      file: (ok) => setTimeout(() => ok(new File([text], name)), 1),
    });
    const dirEntry = (name, fullPath, subtree) => {
      const children = Object.entries(subtree).map(([n, v]) => (typeof v === 'string'
        ? fileEntry(n, `${fullPath}/${n}`, v) : dirEntry(n, `${fullPath}/${n}`, v)));
      return ({
        isDirectory: true, isFile: false, name, fullPath,
        createReader: () => {
          // the reader answers in batches of 2, then with none
          let at = 0;
          return { readEntries: (ok) => setTimeout(() => { ok(children.slice(at, at + 2)); at += 2; }, 1) };
        },
      });
    };
    const root = dirEntry(rootName, `/${rootName}`, tree);
    const dt = new DataTransfer();
    const item = { kind: 'file', webkitGetAsEntry: () => root };
    Object.defineProperty(dt, 'items', { value: Object.assign([item], { length: 1 }) });
    const app = document.querySelector('.app');
    app.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    app.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, { rootName, tree });
}

test('a dropped project folder is read recursively', async () => {
  const { page, errors } = browser;
  const read = (f) => fs.readFileSync(path.join(SAMPLE, 'versions', f), 'utf8');
  const versions = Object.fromEntries(fs.readdirSync(path.join(SAMPLE, 'versions')).filter((f) => f.endsWith('.py')).map((f) => [f, read(f)]));
  // half the revisions one folder down: the sample's alembic.ini does not say
  // recursive_version_locations, so those are ignored, as Alembic ignores them
  const names = Object.keys(versions).sort();
  const nested = Object.fromEntries(names.slice(0, 3).map((n) => [n, versions[n]]));
  const top = Object.fromEntries(names.slice(3).map((n) => [n, versions[n]]));
  await page.goto(server.url);
  await dropTree(page, 'proj', {
    'alembic.ini': fs.readFileSync(path.join(SAMPLE, 'alembic.ini'), 'utf8').replace('script_location = %(here)s', 'script_location = %(here)s/db\nrecursive_version_locations = true'),
    db: { 'env.py': '', versions: { ...top, '2024': nested } },
  });
  // every revision, the nested ones included (their load order, and so the order of
  // heads, follows the walk: see the graph fixtures for that order against Alembic)
  assert.deepEqual((await graphIds(page)).sort(), expected.map((r) => r.id).sort());
  assert.match(await summary(page), /proj\/db\/versions · 32 revisions/);
  assert.deepEqual(errors, [], 'no console errors');
});

test('a dropped .zip, and a damaged one', async () => {
  const { page, errors } = browser;
  const zip = zipOf(path.join(SAMPLE, 'versions'));
  const bytes = [...fs.readFileSync(zip)];
  await page.goto(server.url);
  await page.waitForSelector('.app');
  const drop = (name, data) => page.evaluate(({ name, data }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], name, { type: 'application/zip' }));
    document.querySelector('.app').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, { name, data });
  await drop('versions.zip', bytes);
  assert.deepEqual(await graphIds(page), expected.map((r) => r.id));
  assert.match(await summary(page), /versions\.zip: versions · 32 revisions/);

  await drop('broken.zip', bytes.slice(0, 100));
  await page.waitForSelector('.empty-state[role="alert"]');
  assert.match(await summary(page), /0 revisions/);
  await page.click('#tab-diagnostics');
  assert.match(await page.textContent('.diagnostics'), /broken\.zip.*unreadable-archive.*not a readable \.zip archive/s);
  await screenshot(page, 'load-broken-zip');
  fs.rmSync(path.dirname(zip), { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('a bare versions folder is named after the package its revisions import', async () => {
  const { page, errors } = browser;
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ap-bare-')), 'versions');
  fs.mkdirSync(dir);
  const rev = (id, down, imports) => [
    `"""${id}`, '', `Revision ID: ${id}`, '"""', 'from alembic import op', 'import sqlalchemy as sa', ...imports, '',
    `revision = "${id}"`, `down_revision = ${down ? `"${down}"` : 'None'}`, '', '',
    'def upgrade():', '    pass', '', '', 'def downgrade():', '    pass', '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'a1_start.py'), rev('a1', null, ['from shop.db.types import Money']));
  fs.writeFileSync(path.join(dir, 'b2_more.py'), rev('b2', 'a1', ['import shop.models']));
  await page.goto(server.url);
  await page.waitForSelector('#dir', { state: 'attached' });
  await page.setInputFiles('#dir', dir);
  await page.waitForSelector('.summary');
  assert.match(await summary(page), /^shop: versions · 2 revisions/);
  assert.match(await summary(page), /named after the package 2 of its 2 revision files import/);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});
