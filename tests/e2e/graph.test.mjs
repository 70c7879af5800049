// The Graph view: the sample's revisions in Alembic's order with heads, merge points and
// depends_on drawn apart; search, keyboard and zoom; and 5,000 revisions with only the rows
// on screen in the DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, alembicHistory, screenshot } from './support.mjs';

let server;
let browser;
const expected = alembicHistory();

before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const selectedId = (page) => page.getAttribute('.graph-svg .node[aria-selected="true"]', 'data-rev');

test('the sample graph: Alembic order, newest on top, heads/merges/depends_on distinct', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.waitForSelector('.graph-svg .node');
  const ids = await page.$$eval('.graph-svg .node', (gs) => gs.map((g) => g.dataset.rev));
  assert.deepEqual(ids, expected.map((r) => r.id));
  // nodes are drawn top to bottom in that order
  const ys = await page.$$eval('.graph-svg .node circle', (cs) => cs.map((c) => Number(c.getAttribute('cy'))));
  assert.ok(ys.every((y, i) => i === 0 || y > ys[i - 1]));
  assert.equal(await page.locator('.graph-svg .node.head').count(), 2);
  assert.equal(await page.getAttribute('.graph-svg .node[data-rev="71c3e5a9b0d2"]', 'class'), 'node mergepoint');
  assert.ok(await page.locator('.graph-svg .node.branchpoint').count() >= 2);
  assert.equal(await page.locator('.graph-svg path.edge.dep').count(), 1, 'one depends_on link');
  // two lanes at the branch: circles at two x positions
  const xs = new Set(await page.$$eval('.graph-svg .node circle', (cs) => cs.map((c) => c.getAttribute('cx'))));
  assert.equal(xs.size, 2);
  // the head carries the reporting label on hover; the revision that declares it shows it
  assert.match(await page.textContent('.graph-svg .node[data-rev="08a2c4e6f8b0"]'), /on branch reporting.*head.*index snapshots/);
  assert.equal(await page.locator('.graph-svg .node[data-rev="08a2c4e6f8b0"] tspan.label:not(.inherited)').count(), 0);
  assert.match(await page.textContent('.graph-svg .node[data-rev="f1b3d5e7a9c0"]'), /\(reporting\)/);
  await screenshot(page, 'graph-sample');
  assert.deepEqual(errors, [], 'no console errors');
});

test('search by id prefix, message and table; keyboard moves the selection; zoom', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.waitForSelector('.graph-svg .node');
  // a table: the revisions whose operations name it
  await page.fill('#graph-find', 'listing_images');
  await page.waitForFunction(() => document.querySelector('#graph-find-count').textContent === '1 match');
  await page.press('#graph-find', 'Enter');
  assert.equal(await selectedId(page), '5c7e9a1b3d5f');
  assert.equal(await page.textContent('.detail h2'), '5c7e9a1b3d5f');
  assert.match(page.url(), /rev=5c7e9a1b3d5f/);
  assert.match(page.url(), /find=listing_images/);
  // a message word
  await page.fill('#graph-find', 'reporting');
  await page.waitForFunction(() => /matches$/.test(document.querySelector('#graph-find-count').textContent));
  assert.equal(await page.locator('.graph-svg .row-bg.match').count(), 4);
  await page.press('#graph-find', 'Enter');
  assert.equal(await selectedId(page), '08a2c4e6f8b0');
  assert.equal(await page.textContent('#graph-find-count'), '1 of 4 matches');
  await page.fill('#graph-find', '71c3');
  await page.press('#graph-find', 'Enter');
  assert.equal(await page.textContent('#graph-find-count'), '1 of 1 match');
  await page.fill('#graph-find', 'reporting');
  await page.press('#graph-find', 'Enter');
  await page.click('button[aria-label="Next match"]');
  assert.equal(await selectedId(page), 'c7f9b1d3e5a8');
  // an id prefix
  await page.fill('#graph-find', '3c5e');
  await page.press('#graph-find', 'Enter');
  assert.equal(await selectedId(page), '3c5e1a7f9b20');

  // keyboard: up to the child, h to the parent, Home, End
  await page.focus('.graph-viewport');
  await page.keyboard.press('ArrowUp');
  assert.equal(await selectedId(page), expected.at(-2).id);
  await page.keyboard.press('h');
  assert.equal(await selectedId(page), '3c5e1a7f9b20');
  await page.keyboard.press('Home');
  assert.equal(await selectedId(page), expected[0].id);
  await page.keyboard.press('j');
  assert.equal(await selectedId(page), expected[1].id);
  await page.keyboard.press('End');
  assert.equal(await selectedId(page), expected.at(-1).id);
  assert.equal(await page.getAttribute('.graph-viewport', 'aria-activedescendant'), `g-${expected.at(-1).id}`);

  // zoom: buttons and keys scale the rows
  const rowHeight = () => page.$eval('.graph-svg', (s) => Number(s.getAttribute('height')));
  const h1 = await rowHeight();
  await page.click('button[aria-label="Zoom in"]');
  assert.equal(await page.textContent('.zoom'), '125%');
  assert.equal(await rowHeight(), Math.round(h1 * 1.25));
  await page.focus('.graph-viewport');
  await page.keyboard.press('0');
  assert.equal(await page.textContent('.zoom'), '100%');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  assert.equal(await page.textContent('.zoom'), '64%');
  await screenshot(page, 'graph-zoomed-out');
  assert.deepEqual(errors, [], 'no console errors');
});

/** A linear-with-branches project of `n` revisions written to a temporary folder. */
function bigProject(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-big-'));
  const id = (i) => `r${String(i).padStart(11, '0')}`;
  for (let i = 0; i < n; i++) {
    let down = i === 0 ? 'None' : `"${id(i - 1)}"`;
    // every 50 revisions a branch starts 10 back and merges with the main line 5 later
    if (i % 50 === 10 && i > 20) down = `"${id(i - 10)}"`;
    if (i % 50 === 15 && i > 20) down = `("${id(i - 1)}", "${id(i - 6)}")`;
    fs.writeFileSync(path.join(dir, `${id(i)}_step.py`),
      `"""step ${i}\n\nRevision ID: ${id(i)}\n"""\nfrom alembic import op\n\nrevision = "${id(i)}"\ndown_revision = ${down}\n\n\ndef upgrade():\n    op.create_table("t${i}")\n\n\ndef downgrade():\n    op.drop_table("t${i}")\n`);
  }
  return { dir, id };
}

test('5,000 revisions: only the rows on screen are drawn, and scrolling draws the rest', async () => {
  const { page, errors } = browser;
  const { dir, id } = bigProject(5000);
  await page.goto(server.url);
  const sawProgress = page.waitForSelector('.loading progress', { timeout: 60_000 });
  await page.setInputFiles('#dir', dir);
  await sawProgress;
  await page.waitForFunction(() => document.querySelector('.graph-viewport')?.dataset.rows === '5000', null, { timeout: 120_000 });
  const drawn = await page.locator('.graph-svg .node').count();
  assert.ok(drawn > 20 && drawn < 150, `${drawn} rows drawn`);
  assert.equal(await page.getAttribute('.graph-svg .node >> nth=0', 'data-rev'), id(4999));
  // End selects the base and scrolls it into view
  await page.focus('.graph-viewport');
  await page.keyboard.press('End');
  await page.waitForSelector(`.graph-svg .node[data-rev="${id(0)}"][aria-selected="true"]`);
  assert.ok(await page.locator('.graph-svg .node').count() < 150);
  // search reaches a revision far from the screen
  await page.fill('#graph-find', id(2500));
  await page.press('#graph-find', 'Enter');
  await page.waitForSelector(`.graph-svg .node[data-rev="${id(2500)}"][aria-selected="true"]`);
  // History is windowed the same way
  await page.click('#tab-history');
  await page.waitForSelector('.history li.revision.selected');
  assert.ok(await page.locator('.history li.revision').count() < 200);
  assert.equal(await page.getAttribute('.history li.revision.selected', 'data-rev'), id(2500));
  await screenshot(page, 'graph-5000');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('a broken link is drawn in red and diagnosed; the tabs answer the arrow keys', async () => {
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-broken-'));
  fs.writeFileSync(path.join(dir, 'a1_base.py'), '"""base"""\nrevision = "a1"\ndown_revision = None\n');
  fs.writeFileSync(path.join(dir, 'b2_next.py'), '"""next"""\nrevision = "b2"\ndown_revision = ("a1", "gone99")\n');
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.waitForSelector('#tab-graph[aria-selected="true"]');
  await page.waitForSelector('.graph-svg .node[data-rev="b2"] path.edge.missing', { state: 'attached' });
  assert.match(await page.textContent('.graph-svg .node[data-rev="b2"]'), /missing gone99/);
  await page.focus('#tab-graph');
  // from the first tab, left wraps to the last (Review), then Diagnostics before it
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#tab-review', 'aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('#tab-diagnostics', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-diagnostics');
  assert.match(await page.textContent('.diagnostics'), /b2_next\.py:3.*missing-down-revision-target.*gone99/s);
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#tab-graph', 'aria-selected'), 'true');
  await screenshot(page, 'graph-broken-link');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('search matches a prefix of a branch label or a table, in any case', async () => {
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-labels-'));
  fs.writeFileSync(path.join(dir, 'a1_base.py'), '"""base"""\nrevision = "a1"\ndown_revision = None\n');
  fs.writeFileSync(path.join(dir, 'b2_money.py'),
    '"""money in"""\nfrom alembic import op\nrevision = "b2"\ndown_revision = "a1"\nbranch_labels = ("Billing",)\n\ndef upgrade():\n    op.drop_table("InvoiceLines")\n');
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.waitForSelector('.graph-svg .node[data-rev="b2"]', { state: 'attached' });
  // the label belongs to b2 and, as Alembic propagates it, to a1 below it; the table to b2
  for (const [query, rows] of [['bill', 2], ['BILLING', 2], ['invoicel', 1]]) {
    await page.fill('#graph-find', query);
    await page.waitForFunction((n) => document.querySelectorAll('.graph-svg .row-bg.match').length === n, rows);
    assert.equal(await page.locator('.graph-svg .row-bg.match').count(), rows, query);
  }
  // the label is written once, where it is declared; a1 carries it on hover only
  assert.equal(await page.textContent('.graph-svg .node[data-rev="b2"] tspan.label:not(.inherited)'), ' (Billing)');
  assert.equal(await page.locator('.graph-svg .node[data-rev="a1"] tspan.label:not(.inherited)').count(), 0);
  assert.equal(await page.textContent('.graph-svg .node[data-rev="a1"] tspan.inherited title'), 'on branch Billing');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});
