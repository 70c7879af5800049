// The Tables and Schema views: the table-to-migration map and the schema at any revision.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, screenshot, ROOT, setField } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// The sample's schema at heads as `cargo test` checks it (tests/fixtures/sample-schema.txt).
function expectedTablesAtHeads() {
  const text = fs.readFileSync(path.join(ROOT, 'tests/fixtures/sample-schema.txt'), 'utf8');
  const section = text.split('## schema at heads\n')[1].split('\n## ')[0];
  return section.split('\n').filter((l) => l.startsWith('table ')).map((l) => l.split(' ')[1]);
}

test('tables view: search, timelines, links to the source line', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-tables');
  await page.waitForSelector('.table-card');
  await page.fill('#tables-query', 'device');
  await page.waitForFunction(() => document.querySelectorAll('.table-card').length === 2);
  const names = await page.$$eval('.table-card', (els) => els.map((e) => e.dataset.table));
  assert.deepEqual(names, ['notifications', 'user_devices']);
  // notifications is created by c91d3e5f7a08; its first event links there
  const first = page.locator('.table-card[data-table="notifications"] .timeline li').first();
  assert.match(await first.textContent(), /create.*c91d3e5f7a08/);
  await screenshot(page, 'tables');
  await first.locator('button.link').click();
  await page.waitForSelector('.detail .source');
  assert.equal(await page.getAttribute('#tab-history', 'aria-selected'), 'true');
  assert.match(await page.textContent('.detail'), /c91d3e5f7a08/);
  // the schema problem the sample plants is among the diagnostics
  await page.click('#tab-diagnostics');
  assert.match(await page.textContent('.diagnostics'), /fk-missing-table.*user_devices/s);
  assert.deepEqual(errors, [], 'no console errors');
});

test('schema view: the schema at a revision, and the difference between two', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-schema');
  await page.waitForSelector('.schema-table');
  const names = await page.$$eval('.schema-table', (els) => els.map((e) => e.dataset.table));
  assert.deepEqual(names, expectedTablesAtHeads());

  await setField(page, '#schema-at', '3c5e1a7f9b20');
  await page.waitForFunction(() => document.querySelectorAll('.schema-table').length === 1);
  assert.match(await page.textContent('.schema-table'), /users.*email/s);

  await setField(page, '#schema-at', 'heads');
  await setField(page, '#schema-since', '71c3e5a9b0d2');
  await page.waitForSelector('.diff');
  const diff = await page.textContent('.diff');
  assert.match(diff, /~ table notifications/);
  assert.match(diff, /\+ is_read Boolean\(\) not null default false/);
  await screenshot(page, 'schema-diff');

  await setField(page, '#schema-since', 'nope');
  await page.waitForSelector('.schema .plan-error');
  assert.match(await page.textContent('.schema .plan-error'), /nope/);
  assert.deepEqual(errors, [], 'no console errors');
});
