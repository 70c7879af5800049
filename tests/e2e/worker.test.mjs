// The analysis worker: a large folder's plans, offline SQL and findings are computed off
// the page's thread, byte for byte what real Alembic prints, and its schema in slices;
// loading another folder cancels the first; a small folder's are computed on the page, as
// before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, launch, screenshot, setField, ROOT } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A linear project of `n` revisions, each creating table `<prefix>_<i>` (or, `empty`,
 * doing nothing), beside the sample's alembic.ini and env.py (PostgreSQL, offline): its
 * folder. */
function project(n, prefix, tag, { empty = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ap-worker-${prefix}-`));
  const versions = path.join(dir, 'versions');
  fs.mkdirSync(versions);
  for (const f of ['alembic.ini', 'env.py', 'script.py.mako']) {
    fs.copyFileSync(path.join(ROOT, 'migrations-sample', f), path.join(dir, f));
  }
  let prev = null;
  for (let i = 0; i < n; i++) {
    const id = `${tag}${i.toString(16).padStart(10, '0')}`;
    fs.writeFileSync(path.join(versions, `${id}_${prefix}_${i}.py`), `"""${prefix} table ${i}

Revision ID: ${id}
Revises: ${prev ?? ''}
"""
from alembic import op
import sqlalchemy as sa

revision = "${id}"
down_revision = ${prev ? `"${prev}"` : 'None'}
branch_labels = None
depends_on = None


def upgrade():${empty ? `
    pass


def downgrade():
    pass
` : `
    op.create_table(
        "${prefix}_${i}",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
    )${i === n - 1 ? `
    op.add_column("${prefix}_0", sa.Column("note", sa.Text(), nullable=False))` : ''}


def downgrade():${i === n - 1 ? `
    op.drop_column("${prefix}_0", "note")` : ''}
    op.drop_table("${prefix}_${i}")
`}`);
    prev = id;
  }
  return dir;
}

/** Opens the app afresh, picks `dir` and waits for its graph of `n` revisions. */
async function openFolder(page, dir, n) {
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await graphDrawn(page, n);
}

/** Waits for the graph of `n` revisions. */
function graphDrawn(page, n) {
  return page.waitForFunction((n) => document.querySelector('.graph-viewport')?.dataset.rows === String(n), n, { timeout: 120_000 });
}

/** Real Alembic's `upgrade heads --sql` on `dir`. */
function alembicSql(dir) {
  return execFileSync(path.join(ROOT, '.venv/bin/alembic'), ['upgrade', 'heads', '--sql'], {
    cwd: dir,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The SQL pane's whole script, through its Download button (a long one is drawn a
 * screenful at a time). */
async function downloadedSql(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button[aria-label="Download Offline SQL as upgrade.sql"]'),
  ]);
  return fs.readFileSync(await download.path(), 'utf8');
}

test('a large folder\'s plan and offline SQL come from the worker, as Alembic prints them', async () => {
  const { page, errors } = browser;
  const dir = project(600, 'ledger', 'a1');
  try {
    await openFolder(page, path.join(dir, 'versions'), 600);
    await page.click('#tab-plan');
    await page.waitForSelector('section.plan[data-computed-in="worker"]', { timeout: 120_000 });
    assert.match(await page.textContent('section.plan h2'), /^600 steps/);
    await page.click('#tab-sql');
    await page.waitForSelector('section.sql-view[data-computed-in="worker"] pre[aria-label="Offline SQL"]', { timeout: 120_000 });
    // drawn a screenful at a time: the pane says how much there is
    const lines = Number(await page.getAttribute('pre[aria-label="Offline SQL"]', 'data-lines'));
    const sql = await downloadedSql(page);
    assert.ok(lines > 2000, `${lines} lines: drawn whole`);
    assert.equal(sql, alembicSql(dir));
    // a scroll draws the lines at the new place
    await page.evaluate(() => { document.querySelector('pre[aria-label="Offline SQL"]').scrollTop = 40_000; });
    await page.waitForFunction(() => Number(document.querySelector('pre[aria-label="Offline SQL"]').dataset.first) > 1000);
    assert.match(await page.textContent('pre[aria-label="Offline SQL"]'), /CREATE TABLE ledger_\d+/);
    await screenshot(page, 'worker-sql');
    // another request goes to the worker too
    await setField(page, '#plan-target', 'a1000000000a');
    await page.waitForFunction(() => document.querySelector('section.sql-view')?.dataset.computedIn === 'worker'
      && document.querySelector('pre[aria-label="Offline SQL"]')?.textContent.includes('ledger_10 '));
    const short = await page.textContent('pre[aria-label="Offline SQL"]');
    assert.ok(!short.includes('ledger_11 '), 'the plan stops at the revision asked for');
    // a long script asked for, then a short one at once: the short one stays, whatever
    // order the replies are read in (a long one is read over several turns)
    await setField(page, '#plan-target', 'heads');
    await setField(page, '#plan-target', 'a1000000000a');
    await page.waitForTimeout(3000);
    await page.waitForFunction(() => document.querySelector('pre[aria-label="Offline SQL"]')?.textContent.includes('ledger_10 '));
    assert.ok(!(await page.textContent('pre[aria-label="Offline SQL"]')).includes('ledger_11 '), 'the newer plan is shown');
    // the findings too: the last revision adds a NOT NULL column without a default
    await page.click('#tab-findings');
    await page.waitForSelector('section.findings', { timeout: 120_000 });
    assert.match(await page.textContent('section.findings'), /ledger_0\.note|note/);
    assert.ok(await page.evaluate(() => performance.getEntriesByName('lint:worker').length > 0), 'linted by the worker');
    assert.ok(await page.evaluate(() => performance.getEntriesByName('lint:walk').length === 0), 'not on the page');
    // the schema of a large history is simulated a slice at a time, then shown whole
    await page.click('#tab-schema');
    await page.waitForSelector('section.schema', { timeout: 120_000 });
    const schema = await page.textContent('section.schema');
    assert.match(schema, /ledger_599/);
    assert.match(schema, /ledger_0/);
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a large folder\'s table map is simulated once its graph is drawn', async () => {
  const { page, errors } = browser;
  const dir = project(600, 'stock', 'd4');
  // the last revision also points a foreign key at a table no revision creates
  const versions = path.join(dir, 'versions');
  const last = fs.readdirSync(versions).sort().pop();
  const text = fs.readFileSync(path.join(versions, last), 'utf8');
  fs.writeFileSync(path.join(versions, last), text.replace(
    'op.add_column("stock_0"',
    'op.create_foreign_key("fk_stock_nowhere", "stock_1", "nowhere", ["id"], ["id"])\n    op.add_column("stock_0"',
  ));
  try {
    await openFolder(page, versions, 600);
    // the Tables view waits for the map, then shows every table
    await page.click('#tab-tables');
    await page.waitForSelector('section.tables', { timeout: 120_000 });
    assert.match(await page.textContent('section.tables .hint'), /^600 of 600 tables/);
    assert.ok(await page.evaluate(() => performance.getEntriesByName('views:tables').length > 0), 'simulated after the load');
    // and its diagnostics join the others
    await page.click('#tab-diagnostics');
    assert.match(await page.textContent('.diagnostics'), /fk-missing-table.*nowhere/s);
    // the graph was drawn from the revisions' identifiers alone, their operations read
    // after it, then the table map simulated
    const at = (name) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)?.startTime ?? -1, name);
    const [done, read, opsDone, tables] = [await at('load:done'), await at('ops:read'), await at('ops:done'), await at('views:tables')];
    assert.ok(done > 0 && done < read && read < opsDone && opsDone < tables, `${done} < ${read} < ${opsDone} < ${tables}`);
    // a search by table name finds the revision that creates it
    await page.click('#tab-graph');
    await page.fill('#graph-find', 'stock_599');
    await page.waitForFunction(() => document.querySelector('#graph-find-count').textContent === '1 match');
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a large project folder\'s operations, read after its graph, use its modules\' constants', async () => {
  const { page, errors } = browser;
  // the package with 600 more revisions after its own, each sizing a column by a constant
  // of the package (read from its source once the graph is drawn: the views computed again)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-worker-constants-'));
  fs.cpSync(path.join(ROOT, 'tests/fixtures/project_types/mybank'), path.join(dir, 'mybank'), { recursive: true });
  const versions = path.join(dir, 'mybank/db/migrations/versions');
  let prev = 'c3';
  for (let i = 0; i < 600; i++) {
    const id = `e5${i.toString(16).padStart(10, '0')}`;
    fs.writeFileSync(path.join(versions, `${id}_branch_${i}.py`), `"""branch table ${i}"""
import sqlalchemy as sa
from alembic import op

from mybank.db.limits import NAME_LENGTH

revision = "${id}"
down_revision = "${prev}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("branch_${i}", sa.Column("name", sa.String(NAME_LENGTH), nullable=False))


def downgrade():
    op.drop_table("branch_${i}")
`);
    prev = id;
  }
  try {
    await openFolder(page, dir, 603);
    await page.click('#tab-schema');
    await page.waitForSelector('section.schema', { timeout: 120_000 });
    const schema = await page.textContent('section.schema');
    assert.match(schema, /branch_599/);
    assert.match(schema, /branch_599 created by e5[0-9a-f]+columntypenulldefaultcommentnameString\(120\)no/);
    assert.doesNotMatch(schema, /NAME_LENGTH/);
    assert.ok(await page.evaluate(() => performance.getEntriesByName('ops:done').length > 0), 'operations read after the graph');
    await page.click('#tab-graph');
    assert.equal(await page.getAttribute('.graph-viewport', 'data-rows'), '603');
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loading another folder cancels the first: only the second is shown', async () => {
  const { page, errors } = browser;
  const first = project(700, 'alpha', 'b2');
  const second = project(600, 'beta', 'c3');
  try {
    await page.goto(server.url);
    await page.setInputFiles('#dir', path.join(first, 'versions'));
    await page.setInputFiles('#dir', path.join(second, 'versions'));
    await graphDrawn(page, 600);
    await page.click('#tab-sql');
    await page.waitForSelector('section.sql-view[data-computed-in="worker"] pre[aria-label="Offline SQL"]', { timeout: 120_000 });
    const sql = await downloadedSql(page);
    assert.match(sql, /CREATE TABLE beta_599 /);
    assert.doesNotMatch(sql, /alpha_/);
    // the first load never comes back over the second
    await page.waitForTimeout(3000);
    await page.click('#tab-graph');
    assert.equal(await page.getAttribute('.graph-viewport', 'data-rows'), '600');
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(first, { recursive: true, force: true });
    fs.rmSync(second, { recursive: true, force: true });
  }
});

test('a lint of more findings than one message holds comes from the worker whole, in order; a long datalist is drawn whole', async () => {
  const { page, errors } = browser;
  // every revision empty: one finding each, sent in parts of 500
  const dir = project(1100, 'noop', 'c3', { empty: true });
  try {
    let out;
    try {
      out = execFileSync(path.join(ROOT, 'target/debug/alembic-planner'), ['--versions', 'versions', 'lint', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      out = e.stdout; // status 1 when an error-level finding remains
    }
    const expected = JSON.parse(out).findings;
    assert.ok(expected.length > 1000, `${expected.length} findings: more than two parts`);
    await openFolder(page, path.join(dir, 'versions'), 1100);
    await page.click('#tab-findings');
    await page.waitForSelector('section.findings', { timeout: 120_000 });
    assert.match(await page.textContent('.findings h2'), new RegExp(`^Findings \\(${expected.length}\\)`));
    assert.ok(await page.evaluate(() => performance.getEntriesByName('lint:worker').length > 0), 'linted by the worker');
    assert.ok(await page.evaluate(() => performance.getEntriesByName('lint:walk').length === 0), 'not on the page');
    // the first finding is the CLI's first (the parts joined in the order sent), and one
    // from each part is there
    const first = expected[0];
    assert.equal(await page.textContent('.finding-list li:first-child .loc'), `${path.basename(first.path)}:${first.line}`);
    assert.equal(await page.textContent('.finding-list li:first-child .msg'), first.message);
    for (const k of [250, 750, expected.length - 1]) {
      await setField(page, '#findings-revision', expected[k].revision);
      await page.waitForFunction((p) => [...document.querySelectorAll('.finding-list .loc')].some((e) => e.textContent.startsWith(p)), path.basename(expected[k].path));
    }
    // the Schema view's datalist of 1,105 suggestions (a thousand drawn with the view, the
    // rest a turn later): every revision id, once, after the symbols
    await page.click('#tab-schema');
    await page.waitForSelector('section.schema', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelectorAll('#schema-ids option').length >= 1105);
    const offered = await page.$$eval('#schema-ids option', (os) => os.map((o) => o.value));
    assert.deepEqual(offered.slice(0, 5), ['heads', 'head', 'base', '+1', '-1']);
    const ids = fs.readdirSync(path.join(dir, 'versions')).map((f) => f.split('_')[0]);
    assert.deepEqual([...offered.slice(5)].sort(), ids.sort());
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a small folder\'s plan is computed on the page', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-sql');
  await page.waitForSelector('section.sql-view[data-computed-in="page"] pre[aria-label="Offline SQL"]');
  await page.click('#tab-findings');
  await page.waitForSelector('section.findings');
  assert.ok(await page.evaluate(() => performance.getEntriesByName('lint:walk').length > 0), 'linted on the page');
  assert.deepEqual(errors, []);
});
