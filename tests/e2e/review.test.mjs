// The Review view: the loaded folder (a PR's) against a base branch's folder opened in the
// view; the verdict, the heads once merged, the conflicting change, the deploy SQL, and the
// merge revision as a download, all computed in the browser; the address keeps the view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serveDist, launch, screenshot } from './support.mjs';

let server;
let browser;
const CASE = path.join(ROOT, 'tests/fixtures/review/sibling_heads');

before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a PR folder reviewed against its base folder: two heads, the collision, the merge file', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.waitForSelector('#dir', { state: 'attached' });
  await page.setInputFiles('#dir', path.join(CASE, 'pr'));
  await page.click('#tab-review');
  await page.waitForSelector('#base-dir', { state: 'attached' });
  assert.match(page.url(), /review/);
  await page.setInputFiles('#base-dir', path.join(CASE, 'base'));
  await page.waitForSelector('#review-verdict');
  const verdict = await page.textContent('#review-verdict');
  assert.match(verdict, /Not safe to merge as it is: several heads after the merge/);
  assert.equal(await page.textContent('#review-heads'), 'b2, c3');
  // the merged history drawn, the PR's revision, the base's since the fork and the fork
  // point marked by class and label, newest first
  const marked = await page.$$eval('#review-graph svg text', (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(marked, [
    'b2 [base since the fork] account status',
    'c3 [PR] account status as a number',
    'a1 [fork point] accounts',
  ]);
  assert.deepEqual(
    await page.$$eval('#review-graph svg circle', (cs) => cs.map((c) => c.getAttribute('class'))),
    ['n head since-fork', 'n head pr', 'n branchpoint fork-point'],
  );
  const conflicts = await page.textContent('#review-conflicts');
  assert.match(conflicts, /accounts\.status/);
  assert.match(conflicts, /c3_account_status_as_a_number\.py:14/);
  assert.match(conflicts, /b2_account_status\.py:14/);
  // the linter's findings in the PR's own revision, as the CLI's review lists them
  assert.deepEqual(
    await page.$$eval('#review-findings li', (els) => els.map((e) => e.dataset.rule)),
    ['require-concurrent-index-creation', 'require-concurrent-index-deletion'],
  );
  const sql = await page.$$eval('.review-section', (ds) => ds.map((d) => d.textContent).join('\n'));
  assert.match(sql, /ALTER TABLE accounts ADD COLUMN status INTEGER;/);
  assert.match(sql, /DELETE FROM alembic_version WHERE alembic_version\.version_num = 'c3';/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#review-merge-download'),
  ]);
  assert.match(download.suggestedFilename(), /^[0-9a-f]{12}_\.py$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  assert.match(text, /down_revision: Union\[str, Sequence\[str\], None\] = \('b2', 'c3'\)/);
  await screenshot(page, 'review');
  assert.deepEqual(errors, []);
});
