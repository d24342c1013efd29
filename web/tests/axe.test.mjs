// Accessibility of the widget, checked by axe-core inside its shadow root, in Debian's Chromium
// and in Chromium 83: WCAG 2.0/2.1/2.2 A and AA rules, in every state an officer meets.
// Run by `cargo xtask test` (BASE_URL, BROWSER, CHROMIUM, ARTIFACTS).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { launchBrowser, newContext, BASE, resetPlatform } from './browsers.mjs';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });
// Every test starts with no checklist record stored on the platform.
beforeEach(resetPlatform);

/** axe's violations within the widget (the host platform's own page is not ours to judge). */
async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run({ include: [['law-record-checklist']] }, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, TAGS);
}

async function openCase(query) {
  const context = await newContext(browser, { viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${BASE}demo/?${query}`);
  const w = page.locator('law-record-checklist');
  await page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.steps, .err'));
  return { context, page, w };
}

test('no violations in the officer states: each sample, unfolded with citations and legend, the ack form, the dialogs', async () => {
  const found = {};
  for (const name of ['complete', 'missing-receipt', 'overdue-av', 'simple']) {
    const { context, page, w } = await openCase(`case=${name}`);
    await page.evaluate(() => {
      const root = document.querySelector('law-record-checklist').shadowRoot;
      root.querySelectorAll('.step-btn[aria-expanded=false]').forEach((b) => b.click());
    });
    await page.evaluate(() => document.querySelector('law-record-checklist').shadowRoot
      .querySelectorAll('button.link').forEach((b) => { if (b.textContent === '查看依据') { b.click(); } }));
    // Each audio-video item's file control with its list of uses open, where it has one.
    await page.evaluate(() => document.querySelector('law-record-checklist').shadowRoot
      .querySelectorAll('.pick-btn[aria-expanded=false]').forEach((b) => b.click()));
    await w.getByRole('button', { name: '图例' }).click();
    found[name] = await violations(page);
    const ack = w.getByRole('button', { name: '线下已完成（人工确认）…' }).first();
    if (await ack.count()) {
      await ack.click();
      found[`${name}: ack form`] = await violations(page);
    }
    await page.click('#submit-case');
    if (await w.getByRole('dialog').count()) {
      found[`${name}: submit dialog`] = await violations(page);
    }
    await context.close();
  }
  const { context, page, w } = await openCase('case=missing-receipt');
  await w.getByRole('button', { name: '核查表' }).click();
  await w.getByRole('dialog').waitFor();
  found['print view'] = await violations(page);
  await context.close();
  const bad = Object.entries(found).filter(([, v]) => v.length);
  assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
});

test('no violations in admin mode and with a broken case', async () => {
  const { context, page } = await openCase('case=missing-receipt&admin=1');
  let admin = await violations(page);
  // A picked choice with its preview, a refused 应用 on its row, the department field.
  const w = page.locator('law-record-checklist');
  await w.locator('#admin-search').fill('29-direct-receipt');
  const r = w.locator('li.rule[data-rule="29-direct-receipt"]');
  await r.locator('select').selectOption('warning');
  await r.locator('.preview').waitFor();
  await r.getByRole('button', { name: '应用' }).click();
  await r.locator('.row-error').waitFor();
  await w.locator('#admin-scope').selectOption('department-other');
  await w.locator('#admin-department').waitFor();
  admin = admin.concat(await violations(page));
  await page.evaluate(() => {
    document.querySelector('law-record-checklist').case = { id: 'X', agency: 'changsha-zfj', procedure: 'ordinary', activities: [{ id: 'A1', kind: '现场检查', start: '三月二日' }] };
  });
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.err'));
  const broken = await violations(page);
  await context.close();
  assert.deepEqual({ admin, broken }, { admin: [], broken: [] });
});
