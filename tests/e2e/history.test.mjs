// The app shows every revision of an uploaded versions folder, with id and message, in the
// order real Alembic's `history` prints them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, serveDist, launch, alembicHistory, screenshot } from './support.mjs';

let server;
let browser;
const expected = alembicHistory();

before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function shownRevisions(page) {
  return page.$$eval('.history li.revision', (items) => items.map((li) => ({
    id: li.querySelector('.rev-id').textContent,
    message: li.querySelector('.rev-message').textContent,
  })));
}

test('uploading migrations-sample/versions shows every revision in Alembic order', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.waitForSelector('#dir', { state: 'attached' });
  await page.setInputFiles('#dir', path.join(ROOT, 'migrations-sample/versions'));
  await page.click('#tab-history');
  await page.waitForSelector('.history li.revision');
  const shown = await shownRevisions(page);
  assert.ok(expected.length >= 30, `the sample should have at least 30 revisions, Alembic saw ${expected.length}`);
  assert.deepEqual(shown, expected);
  const summary = await page.textContent('.summary');
  assert.match(summary, new RegExp(`${expected.length} revisions`));
  await screenshot(page, 'history-upload');
  assert.deepEqual(errors, [], 'no console errors');
});

test('"Load sample" shows the same history, and a revision opens its source', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-history');
  await page.waitForSelector('.history li.revision');
  assert.deepEqual(await shownRevisions(page), expected);
  const merge = expected.find((r) => r.message.startsWith('merge'));
  await page.click(`li.revision[data-rev="${merge.id}"] button`);
  await page.waitForSelector('.detail h2');
  assert.equal(await page.textContent('.detail h2'), merge.id);
  const source = await page.textContent('.detail .source');
  assert.match(source, new RegExp(`revision: str = "${merge.id}"`));
  const badges = await page.textContent(`li.revision[data-rev="${merge.id}"]`);
  assert.match(badges, /mergepoint/);
  await screenshot(page, 'sample-detail');
  assert.deepEqual(errors, [], 'no console errors');
});

test('a diagnostic opens its file at its line', async () => {
  const { page, errors } = browser;
  const fs = await import('node:fs');
  const os = await import('node:os');
  // a copy of two sample revisions plus a broken file
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-diag-'));
  const versions = path.join(ROOT, 'migrations-sample/versions');
  for (const f of fs.readdirSync(versions).filter((f) => f.startsWith('3c5e1a7f9b20') || f.startsWith('8d21f4b6c903'))) {
    fs.copyFileSync(path.join(versions, f), path.join(dir, f));
  }
  fs.writeFileSync(path.join(dir, 'ffff0000aaaa_broken.py'),
    '"""broken"""\nrevision = "ffff0000aaaa"\ndown_revision = "8d21f4b6c903"\n\n\ndef upgrade(:\n    pass\n');
  fs.writeFileSync(path.join(dir, 'README.md'), 'not a revision\n');
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.click('#tab-diagnostics');
  await page.waitForSelector('.diagnostics li.diag');
  const diag = await page.textContent('.diagnostics li.diag');
  assert.match(diag, /ffff0000aaaa_broken\.py:6/);
  assert.match(diag, /python-syntax-error/);
  await page.click('.diagnostics li.diag button.link');
  await page.waitForSelector('.detail .source li.hl');
  assert.equal(await page.getAttribute('.detail .source li.hl', 'id'), 'L6');
  assert.equal(await page.textContent('.detail h2'), 'ffff0000aaaa');
  await page.click('#tab-diagnostics');
  assert.match(await page.textContent('.ignored summary'), /1 other file/);
  await page.click('#tab-history');
  // the rest of the folder still analyses
  assert.equal(await page.locator('.history li.revision').count(), 3);
  await screenshot(page, 'diagnostic-line');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('a revision whose message is a comment shows its file name\'s slug', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-slug-'));
  fs.writeFileSync(path.join(dir, 'a1b2c3d4e5f6_add_invoice_totals.py'),
    '# add invoice totals\nfrom alembic import op\n\nrevision = "a1b2c3d4e5f6"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n');
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.click('#tab-history');
  await page.waitForSelector('.history li.revision');
  assert.deepEqual(await shownRevisions(page), [{ id: 'a1b2c3d4e5f6', message: 'add invoice totals' }]);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});
