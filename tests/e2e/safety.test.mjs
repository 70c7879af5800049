// Nothing leaves the machine, and migration text is always text: every request after the
// page has loaded is recorded (there must be none, whatever the app is asked to do), and a
// folder whose docstrings, messages and SQL carry HTML and scripts must show them literally.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, screenshot } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const HOSTILE = '<script>window.__xss = 1</script><img src="http://127.0.0.1:9/x.png" onerror="window.__xss = 2">';

function hostileFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-xss-'));
  fs.writeFileSync(path.join(dir, 'a1_hostile.py'), [
    `"""${HOSTILE}`, '', 'Revision ID: a1', '"""',
    'from alembic import op', 'import sqlalchemy as sa', '',
    'revision = "a1"', 'down_revision = None', '', '',
    'def upgrade():',
    `    op.create_table("notes", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("body", sa.Text(), comment='${HOSTILE}'))`,
    `    op.execute("INSERT INTO notes (body) VALUES ('${HOSTILE.replace(/"/g, '\\"')}')")`, '', '',
    'def downgrade():', '    op.drop_table("notes")', '',
  ].join('\n'));
  return dir;
}

test('no request leaves the page after it has loaded; HTML in migrations stays text', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.waitForSelector('#load-sample');
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));

  // every view of the sample
  await page.click('#load-sample');
  await page.waitForSelector('.graph-svg .node');
  await page.click('#tab-history');
  await page.waitForSelector('.revisions li');
  await page.click('.revisions li button');
  for (const tab of ['#tab-graph', '#tab-plan', '#tab-sql', '#tab-tables', '#tab-schema', '#tab-diagnostics', '#tab-history']) {
    await page.click(tab);
  }
  // a folder of hostile text, in every place it is shown
  const dir = hostileFolder();
  await page.setInputFiles('#dir', dir);
  await page.waitForFunction(() => document.querySelectorAll('.revisions li').length === 1);
  await page.click('.revisions li button');
  await page.click('.revision-sql summary');
  const docstring = await page.textContent('.docstring');
  assert.ok(docstring.startsWith(HOSTILE), docstring);
  assert.match(await page.textContent('pre[aria-label="upgrade SQL of a1"]'), /<script>window\.__xss = 1<\/script>/);
  await page.click('#tab-sql');
  assert.match(await page.textContent('pre[aria-label="Offline SQL"]'), /<img src=/);
  await page.click('#tab-graph');
  assert.match(await page.textContent('.graph-svg .node .msg'), /<script>/);
  await page.click('#tab-plan');
  await page.click('#tab-diagnostics');
  await page.click('#tab-tables');
  await page.click('#tab-schema');
  await page.click('#tab-history');

  assert.equal(await page.evaluate(() => window.__xss), undefined, 'a script in a migration ran');
  assert.equal(await page.locator('img[src*="x.png"]').count(), 0, 'HTML in a migration became elements');
  await screenshot(page, 'hostile-text');
  assert.deepEqual(requests, [], 'requests after load');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});

test('the Content-Security-Policy forbids other origins', async () => {
  const { page } = browser;
  await page.goto(server.url);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  // a fetch to another origin is refused by the browser, before any request is made
  const refused = await page.evaluate(async () => {
    try { await fetch('http://127.0.0.1:9/leak'); return false; } catch { return true; }
  });
  assert.ok(refused);
});
