// The plan builder: Alembic's syntax in, Alembic's step order out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, alembicRunningLines, screenshot, setField } from './support.mjs';

let server;
let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function planSteps(page) {
  return page.$$eval('.plan-steps li code', (els) => els.map((e) => e.textContent));
}

test('plan builder shows the steps Alembic runs, and its refusals', async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.click('#load-sample');
  await page.click('#tab-plan');
  await page.waitForSelector('.plan-steps li');
  // default: upgrade heads from base
  assert.deepEqual(await planSteps(page), alembicRunningLines(['upgrade', 'heads', '--sql']));
  await page.click('#tab-sql');
  assert.match(await page.textContent('.sql'), /CREATE TABLE alembic_version/);
  await page.click('#tab-plan');

  // a range in Alembic's syntax, from a current state
  await setField(page, '#plan-target', 'reporting@head');
  await setField(page, '#plan-current', '93b5d7f9a1c2');
  await page.waitForFunction(() => document.querySelectorAll('.plan-steps li').length === 5);
  assert.deepEqual(await planSteps(page), alembicRunningLines(['upgrade', '93b5d7f9a1c2:reporting@head', '--sql']));
  assert.match(await page.textContent('.plan-steps'), /delete f1b3d5e7a9c0; update 4f6a8c0e2b3d → 62d4f6a8c0e2/);
  await screenshot(page, 'plan-builder');

  // downgrade
  await page.selectOption('#plan-direction', 'downgrade');
  await setField(page, '#plan-current', '');
  await setField(page, '#plan-target', '9d1f3b5a7c2e:-3');
  await page.waitForFunction(() => document.querySelectorAll('.plan-steps li').length === 3);
  assert.deepEqual(await planSteps(page), alembicRunningLines(['downgrade', '9d1f3b5a7c2e:-3', '--sql']));
  // each step says what it destroys, as the CLI's plan does
  assert.deepEqual(
    await page.$$eval('.plan-steps .destroys span', (els) => els.map((e) => e.textContent)),
    [
      'destroys column `listings.view_count` (INTEGER) and its data (line 29)',
      'destroys column `api_tokens.label` (VARCHAR(100)) and its data (line 28)',
      'destroys column `users.is_staff` (BOOLEAN) and its data (line 28)',
    ],
  );

  // each field offers only what works there: no `heads` for a downgrade's target or for
  // where the database is; all the heads together as one place a database can be
  const options = (id) => page.$$eval(`#${id} option`, (os) => os.map((o) => o.value));
  const targets = await options('plan-targets');
  assert.ok(targets.includes('base') && targets.includes('-1'), targets.slice(0, 5).join());
  assert.ok(!targets.includes('heads') && !targets.includes('+1'));
  const currents = await options('plan-currents');
  assert.equal(currents[0], '08a2c4e6f8b0, 9d1f3b5a7c2e');
  assert.ok(!currents.includes('heads') && !currents.includes('base'));
  await setField(page, '#plan-target', '-1');
  await setField(page, '#plan-current', currents[0]);
  await page.waitForFunction(() => document.querySelectorAll('.plan-steps li').length === 1);
  assert.equal(await page.locator('.plan-error').count(), 0);
  assert.match(await page.textContent('.plan-steps'), /downgrade 08a2c4e6f8b0 -> c7f9b1d3e5a8/);
  await setField(page, '#plan-current', '');

  // Alembic's refusal, word for word
  await page.selectOption('#plan-direction', 'upgrade');
  await setField(page, '#plan-target', 'head');
  await page.waitForSelector('.plan-error');
  assert.match(await page.textContent('.plan-error'), /^Multiple head revisions are present for given argument 'head'/);
  // a refused plan shows only the refusal: no "0 steps", and no empty SQL box to copy
  assert.equal(await page.locator('.plan h2').count(), 0);
  await page.click('#tab-sql');
  await page.waitForSelector('.sql-view .plan-error');
  assert.equal(await page.locator('.sql-view .sql-block').count(), 0);
  assert.equal(await page.locator('.sql-view .sql-actions').count(), 0);
  await page.click('#tab-plan');

  // the plan's steps are marked in History
  await setField(page, '#plan-target', 'heads');
  await page.click('#tab-history');
  await page.waitForSelector('.badge.step');
  assert.equal(await page.locator('.badge.step').count(), 32);
  assert.deepEqual(errors, [], 'no console errors');
});

test('the dialect comes from the project, and the form says why', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { page, errors } = browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ap-mysql-'));
  fs.writeFileSync(path.join(dir, 'a1_items.py'),
    '"""items"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table("items", sa.Column("id", sa.Integer(), primary_key=True), mysql_engine="InnoDB")\n\n\ndef downgrade():\n    op.drop_table("items")\n');
  await page.goto(server.url);
  await page.setInputFiles('#dir', dir);
  await page.click('#tab-sql');
  await page.waitForSelector('#dialect-note');
  assert.equal(await page.inputValue('#plan-dialect'), 'mysql');
  assert.equal(await page.textContent('#dialect-note'), 'Dialect: MySQL (detected: 1 revision uses mysql_* options or its types).');
  assert.match(await page.textContent('.sql'), /ENGINE=InnoDB/);
  // a choice made in the form is kept, and no longer explained as detected
  await page.selectOption('#plan-dialect', 'postgresql');
  await page.waitForFunction(() => !document.querySelector('#dialect-note'));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, [], 'no console errors');
});
