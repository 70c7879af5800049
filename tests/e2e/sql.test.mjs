// The SQL panes: highlighted from sqlparser's tokens, copied, downloaded as .sql, shown per
// revision, and an application-defined column type mapped to SQL by the user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, screenshot, setField, ROOT } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('offline SQL is highlighted, copied and downloaded as Alembic prints it', async () => {
  const { page, errors } = browser;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-sql');
  await page.waitForSelector('pre[aria-label="Offline SQL"] .kw');
  const pane = page.locator('pre[aria-label="Offline SQL"]');
  const text = await pane.textContent();
  assert.match(text, /^BEGIN;\n\nCREATE TABLE alembic_version/);
  // tokens are classified: keywords, strings, comments
  assert.ok(await pane.locator('.kw').count() > 100);
  assert.match(await pane.locator('.com').first().textContent(), /^-- Running upgrade  -> [0-9a-f]{12}$/);
  assert.ok(await pane.locator('.str').count() > 0);
  // names that are words SQL knows (id, name) are not keywords; types and NULL are
  const kws = await pane.locator('.kw').allTextContents();
  const words = kws.flatMap((k) => k.trim().split(/\s+/));
  assert.ok(words.includes('VARCHAR') && words.includes('NULL'), words.join(' '));
  assert.ok(!words.includes('id') && !words.includes('name'), words.join(' '));

  // Download: the same text, under the command's name
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button[aria-label="Download Offline SQL as upgrade.sql"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'upgrade.sql');
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), text);

  // Copy
  await page.click('button[aria-label="Copy Offline SQL"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);

  // the SQL follows the dialect
  await page.selectOption('#plan-dialect', 'mysql');
  await page.waitForFunction(() => !document.querySelector('pre[aria-label="Offline SQL"]').textContent.startsWith('BEGIN;'));
  assert.match(await pane.textContent(), /AUTO_INCREMENT/);
  await screenshot(page, 'sql-pane');
  assert.deepEqual(errors, [], 'no console errors');
});

test('each revision shows its own SQL; application types can be mapped to SQL', async () => {
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-types-'));
  fs.writeFileSync(path.join(dir, 'a1_slugs.py'), [
    '"""slugs', '', 'Revision ID: a1', '"""',
    'from alembic import op', 'import sqlalchemy as sa', 'from myapp.types import Slug', '',
    'revision = "a1"', 'down_revision = None', '', '',
    'def upgrade():',
    '    op.create_table("pages", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("slug", Slug(64)))', '', '',
    'def downgrade():', '    op.drop_table("pages")', '',
  ].join('\n'));
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.click('#tab-history');
  await page.waitForSelector('.revisions li');
  await page.click('.revisions li button');
  await page.click('.revision-sql summary');
  const up = page.locator('pre[aria-label="upgrade SQL of a1"]');
  assert.match(await up.textContent(), /-- alembic-planner: a1_slugs\.py:14: .*`Slug` comes from `myapp\.types\.Slug`/);
  assert.equal(await page.locator('pre[aria-label="downgrade SQL of a1"]').textContent(), 'DROP TABLE pages;\n\n');

  await page.click('#tab-sql');
  await page.click('.type-map summary');
  await setField(page, '#type-map', 'myapp.types.Slug=VARCHAR(64)');
  await page.waitForFunction(() => document.querySelector('pre[aria-label="Offline SQL"]').textContent.includes('slug VARCHAR(64)'));
  assert.doesNotMatch(await page.textContent('pre[aria-label="Offline SQL"]'), /alembic-planner:/);
  await page.click('#tab-history');
  await page.click('.revisions li button');
  await page.click('.revision-sql summary');
  assert.match(await up.textContent(), /^CREATE TABLE pages \(\n    id SERIAL NOT NULL, \n    slug VARCHAR\(64\), \n    PRIMARY KEY \(id\)\n\);/);
  await screenshot(page, 'revision-sql');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test("a project folder's own modules give its column types and table names", async () => {
  const { page, errors } = browser;
  // the package as a user would pick it: its modules beside its migrations
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-project-'));
  fs.cpSync(path.join(ROOT, 'tests/fixtures/project_types/mybank'), path.join(dir, 'mybank'), { recursive: true });
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.click('#tab-sql');
  const pane = page.locator('pre[aria-label="Offline SQL"]');
  await page.waitForFunction(() => document.querySelector('pre[aria-label="Offline SQL"]')?.textContent.includes('Running upgrade'));
  const text = await pane.textContent();
  // Guid's load_dialect_impl (UUID on PostgreSQL), the models' __tablename__, a constant
  assert.match(text, /CREATE TABLE events \(\n    id UUID NOT NULL, /);
  assert.match(text, /CREATE TABLE ledgers \(/);
  assert.match(text, /CREATE TABLE ledger_archive \(/);
  // only the type whose SQL its code decides otherwise stays a note, with where it is
  // (constants re-exported by the package's __init__.py are read too)
  const types = fs.readFileSync(path.join(dir, 'mybank/db/types.py'), 'utf8').split('\n');
  const line = 1 + types.findIndex((l) => l.startsWith('class Versioned'));
  const notes = text.split('\n').filter((l) => l.startsWith('-- alembic-planner:'));
  assert.ok(notes.length > 0 && notes.every((l) => l.includes(`mybank/db/types.py:${line}`)), notes.join('\n'));
  assert.match(text, /name VARCHAR\(120\) NOT NULL, /);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});
