// The Findings view: the linter's findings as the CLI prints them, filtered, each rule's
// documentation one click away, each finding opening its source line; markers in History
// and on the graph.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serveDist, launch, screenshot, ROOT, setField } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The CLI's findings on the sample (the native build the tests use). */
function cliFindings() {
  const bin = path.join(ROOT, 'target/debug/alembic-planner');
  let out;
  try {
    out = execFileSync(bin, ['--versions', 'versions', 'lint', '--format', 'json'], { cwd: path.join(ROOT, 'migrations-sample'), encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // status 1 when an error-level finding remains
  }
  return JSON.parse(out).findings;
}

test('findings view: the CLI\'s findings, filters, rule docs, source lines', async () => {
  const { page, errors } = browser;
  const expected = cliFindings();
  assert.ok(expected.length > 10, 'the sample has findings');
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-findings');
  await page.waitForSelector('.finding-list li');
  const shown = await page.$$eval('.finding-list li', (els) => els.map((e) => e.dataset.rule));
  assert.deepEqual(shown, expected.map((f) => f.rule));
  assert.match(await page.textContent('.findings h2'), new RegExp(`Findings \\(${expected.length}\\)`));
  await screenshot(page, 'findings');

  // filter by rule, then by revision
  await page.selectOption('#findings-rule', 'data-in-schema-migration');
  const data = expected.filter((f) => f.rule === 'data-in-schema-migration');
  await page.waitForFunction((n) => document.querySelectorAll('.finding-list li').length === n, data.length);
  await setField(page, '#findings-revision', data[0].revision.slice(0, 6));
  const inRev = data.filter((f) => f.revision === data[0].revision);
  await page.waitForFunction((n) => document.querySelectorAll('.finding-list li').length === n, inRev.length);

  // the rule's documentation
  await page.locator('.finding-list li button.code').first().click();
  await page.waitForSelector('.rule-doc');
  assert.match(await page.textContent('.rule-doc'), /^.?# data-in-schema-migration/m);
  assert.match(await page.textContent('.rule-doc'), /## Fix/);

  // the source line
  await page.locator('.finding-list li button.loc').first().click();
  await page.waitForSelector('.detail .source');
  assert.match(await page.textContent('.detail'), new RegExp(data[0].revision));

  // History marks revisions with findings
  await page.click('#tab-history');
  await page.waitForSelector('.revisions .badge.finding');
  // and the graph's rows
  await page.click('#tab-graph');
  await page.waitForSelector('.graph-svg .tag.finding');
  assert.deepEqual(errors, [], 'no console errors');
});
