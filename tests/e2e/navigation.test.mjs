// One navigation across the views with the state in the address (back button, links that
// reopen a view), the exports, the themes and the guide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serveDist, launch, alembicRunningLines, screenshot, setField } from './support.mjs';

let server;
let browser;

before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const steps = (page) => page.$$eval('.plan-steps li code', (els) => els.map((e) => e.textContent));

test('the address holds view, revision, range and dialect; back returns; a link reopens', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.waitForSelector('.graph-svg .node');
  await page.click('#tab-plan');
  await setField(page, '#plan-target', 'reporting@head');
  await setField(page, '#plan-current', '93b5d7f9a1c2');
  await page.selectOption('#plan-dialect', 'mysql');
  await page.waitForFunction(() => document.querySelectorAll('.plan-steps li').length === 5);
  const planUrl = page.url();
  assert.match(planUrl, /#view=plan&target=reporting@head&current=93b5d7f9a1c2&dialect=mysql$/);
  await page.click('#tab-graph');
  await page.click('.graph-svg .node[data-rev="71c3e5a9b0d2"]');
  assert.match(page.url(), /#view=graph&rev=71c3e5a9b0d2&/);
  // back: the selection goes, then the view
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('.graph-svg .node[aria-selected="true"]'));
  await page.goBack();
  await page.waitForSelector('#tab-plan[aria-selected="true"]');
  assert.equal(await page.inputValue('#plan-target'), 'reporting@head');
  await page.goForward();
  await page.waitForSelector('#tab-graph[aria-selected="true"]');

  // a link, opened afresh: kept until the folder is loaded, then the same view
  const link = `${server.url}#view=sql&rev=71c3e5a9b0d2&target=reporting@head&current=93b5d7f9a1c2&dialect=mysql`;
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('#load-sample');
  assert.equal(page.url(), link);
  await page.click('#load-sample');
  await page.waitForSelector('#tab-sql[aria-selected="true"]');
  const sql = await page.textContent('pre[aria-label="Offline SQL"]');
  assert.match(sql, /AUTO_INCREMENT|ENGINE|`/, 'MySQL SQL');
  const running = sql.split('\n').filter((l) => l.startsWith('-- Running ')).map((l) => l.slice('-- Running '.length));
  assert.deepEqual(running, alembicRunningLines(['upgrade', '93b5d7f9a1c2:reporting@head', '--sql']));
  await page.click('#tab-history');
  assert.equal(await page.textContent('.detail h2'), '71c3e5a9b0d2');
  await screenshot(page, 'link-reopened');
  assert.deepEqual(errors, [], 'no console errors');
});

test('exports: Markdown, Mermaid, SVG and SQL files', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.waitForSelector('.graph-svg .node');
  const save = async (id) => {
    await page.click('.menu summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
    return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
  };
  const fixture = (f) => fs.readFileSync(path.join(ROOT, 'tests/fixtures/export', f), 'utf8');
  // the same documents the core's export fixtures hold (only the title differs)
  const md = await save('export-markdown');
  assert.equal(md.name, 'migrations-sample-migrations.md');
  assert.equal(md.text.split('\n')[0], '# Migrations: migrations-sample/versions');
  assert.equal(md.text.split('\n').slice(1).join('\n'), fixture('sample.md').split('\n').slice(1).join('\n'));
  const mmd = await save('export-mermaid');
  assert.equal(mmd.name, 'migrations-sample-graph.mmd');
  assert.equal(mmd.text, fixture('sample.mmd'));
  const svg = await save('export-svg');
  // well-formed XML with a circle per revision (parsed outside the page: its CSP would
  // report the document's <style>)
  const circles = execFileSync('python3', ['-c',
    'import sys, xml.dom.minidom as m; print(len(m.parseString(sys.stdin.read()).getElementsByTagName("circle")))'],
  { input: svg.text, encoding: 'utf8' });
  assert.equal(circles.trim(), '32');
  const sql = await save('export-sql');
  assert.equal(sql.name, 'migrations-sample-upgrade-postgresql.sql');
  assert.match(sql.text, /^BEGIN;\n\nCREATE TABLE alembic_version/);
  assert.deepEqual(sql.text.split('\n').filter((l) => l.startsWith('-- Running ')).map((l) => l.slice('-- Running '.length)), alembicRunningLines(['upgrade', 'heads', '--sql']));
  assert.deepEqual(errors, [], 'no console errors');
});

test('themes, the guide, empty states', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.waitForSelector('.welcome');
  assert.match(await page.textContent('.welcome'), /never leave your machine/);
  await screenshot(page, 'welcome');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.selectOption('#theme', 'dark');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await bg(), 'rgb(15, 20, 25)');
  await page.reload();
  await page.waitForSelector('#theme');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark', 'the choice is kept');
  await page.click('#load-sample');
  await page.waitForSelector('.graph-svg .node');
  assert.match(await page.textContent('.detail'), /Select a revision/);
  await screenshot(page, 'graph-dark');
  await page.selectOption('#theme', 'light');
  assert.equal(await bg(), 'rgb(255, 255, 255)');
  await page.selectOption('#theme', 'auto');
  assert.equal(await page.getAttribute('html', 'data-theme'), null);

  await page.click('#guide-button');
  await page.waitForSelector('.guide[role="dialog"]');
  assert.match(await page.textContent('.guide'), /Graph keys/);
  await screenshot(page, 'guide');
  await page.press('.guide button', 'Escape');
  await page.waitForSelector('.guide', { state: 'detached' });
  // every control has an accessible name
  const unnamed = await page.$$eval('button, input, select, textarea', (els) => els
    .filter((e) => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim()))
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  assert.deepEqual(errors, [], 'no console errors');
});
