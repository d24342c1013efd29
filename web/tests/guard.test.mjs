// The platform's submit is guarded from the first moment: before the widget's wasm has arrived
// (held, 「正在检查记录…」, then decided by the widget), when it never arrives (the agency's
// `unchecked` policy), and when the case cannot be checked (malformed, unknown agency).
// Run by `cargo xtask test` in both browsers (see browsers.mjs).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, newContext, shot, resetPlatform } from './browsers.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });
// The demo platform stores each case's checklist record: every test starts from none.
beforeEach(resetPlatform);

/**
 * A page whose requests for the widget's wasm wait until `release()` (or fail with `fail()`),
 * and whose agency config is `config` when given.
 */
async function newPage(opts) {
  const o = opts || {};
  const context = await newContext(browser, { viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let release;
  let fail;
  const gate = new Promise((resolve, reject) => { release = resolve; fail = reject; });
  if (o.holdWasm) {
    await page.route(/checklist_bg\.[0-9a-f]{16}\.wasm/, async (route) => {
      try {
        await gate;
        await route.continue();
      } catch (e) {
        await route.abort('failed').catch(() => {});
      }
    });
  }
  if (o.config) {
    await page.route(/agency-config\.json/, (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: JSON.stringify(o.config),
    }));
  }
  await page.addInitScript(() => {
    window.__events = [];
    ['submit-blocked', 'submit-allowed'].forEach((n) => {
      document.addEventListener(n, (e) => window.__events.push({ type: n, detail: e.detail }), true);
    });
  });
  return { context, page, errors, release: () => release(), fail: () => fail(new Error('held')) };
}

const submitted = (page) => page.evaluate(() => document.body && document.body.getAttribute('data-host-submitted'));
const guardText = (page) => page.evaluate(() => {
  const host = document.querySelector('[data-law-record-checklist-guard]');
  if (!host || !host.shadowRoot) { return ''; }
  return Array.from(host.shadowRoot.querySelectorAll('.toast:not([hidden]), dialog[open]'))
    .map((e) => e.textContent).join('\n');
});
const widgetDialog = (page) => page.locator('law-record-checklist').getByRole('dialog');

test('a submit pressed before the widget has loaded is held, then decided by the widget', async () => {
  const { context, page, errors, release } = await newPage({ holdWasm: true });
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  await page.waitForFunction(() => window.platformCase && document.getElementById('submit-case'));
  // The box says what is coming from the first paint.
  const placeholder = await page.evaluate(() => {
    const el = document.querySelector('law-record-checklist');
    return (el.shadowRoot && el.shadowRoot.textContent) || getComputedStyle(el, '::before').content;
  });
  assert.match(placeholder, /正在加载记录清单/);
  await shot(page, 'guard-placeholder');
  await page.click('#submit-case');
  await page.waitForFunction(() => document.querySelector('[data-law-record-checklist-guard]'));
  assert.match(await guardText(page), /正在检查记录…/);
  assert.equal(await submitted(page), null, "the platform's handler did not run");
  assert.ok(page.url().includes('/demo/'), 'no navigation');
  await shot(page, 'guard-held');
  release();
  // The widget decides on the submit already pressed: this case lacks its 送达回证.
  await widgetDialog(page).waitFor();
  assert.match(await widgetDialog(page).textContent(), /不能提交[\s\S]*第二十九条/);
  assert.equal(await guardText(page), '', 'the status is gone');
  assert.equal(await submitted(page), null);
  await shot(page, 'guard-decided');
  assert.deepEqual(errors, []);
  await context.close();
});

test('held at 2 Mbit/s: pressed as soon as the button shows, a case lacking a record is not submitted', async () => {
  const { context, page, errors } = await newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 40, downloadThroughput: (2 * 1024 * 1024) / 8, uploadThroughput: (2 * 1024 * 1024) / 8,
  });
  await page.goto(`${BASE}demo/?case=missing-receipt`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.platformCase);
  const widgetThere = await page.evaluate(() => {
    const el = document.querySelector('law-record-checklist');
    return !!(el && el.shadowRoot && el.shadowRoot.querySelector('.steps'));
  });
  assert.equal(widgetThere, false, 'pressed before the checklist was on screen');
  await page.click('#submit-case');
  await widgetDialog(page).waitFor({ timeout: 60000 });
  assert.equal(await submitted(page), null);
  assert.ok((await page.evaluate(() => window.__events.map((e) => e.type))).includes('submit-blocked'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the widget never loads: after the agency\'s wait, a reason is asked, then the case is submitted', async () => {
  const { context, page, fail } = await newPage({ holdWasm: true, config: { load_timeout_seconds: 1 } });
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  await page.click('#submit-case');
  assert.match(await guardText(page), /正在检查记录…/);
  // After one second the agency's policy applies (default: ask a reason).
  await page.waitForFunction(() => window.lawRecordChecklistGuard.state === 'failed');
  assert.match(await guardText(page), /记录清单无法检查本案[\s\S]*1 秒内/);
  const host = page.locator('[data-law-record-checklist-guard]');
  await host.getByRole('button', { name: '填写理由并提交' }).click();
  assert.match(await guardText(page), /请填写未经检查仍要提交的理由/);
  assert.equal(await submitted(page), null);
  await host.getByLabel('未经检查仍要提交的理由').fill('平台网络故障，记录清单无法加载，已电话报告信息科');
  await shot(page, 'guard-timeout-reason');
  await Promise.all([page.waitForURL(/submitted\.html/), host.getByRole('button', { name: '填写理由并提交' }).click()]);
  fail();
  await context.close();
});

test('a platform that stays on the page: the reason given before the widget loaded is logged with the case', async () => {
  const { context, page, release } = await newPage({ holdWasm: true, config: { load_timeout_seconds: 1 } });
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  // As a single-page platform does: its own handler sends the form by XHR and stays.
  await page.evaluate(() => document.getElementById('case-form').addEventListener('submit', (e) => e.preventDefault()));
  await page.waitForFunction(() => window.lawRecordChecklistGuard.state === 'failed');
  await page.click('#submit-case');
  const host = page.locator('[data-law-record-checklist-guard]');
  const reason = '系统升级期间记录清单无法加载，纸质核查表已填写';
  await host.getByLabel('未经检查仍要提交的理由').fill(reason);
  await host.getByRole('button', { name: '填写理由并提交' }).click();
  assert.equal(await submitted(page), '1', "the platform's handler ran");
  release();
  const log = await page.waitForFunction((r) => {
    const el = document.querySelector('law-record-checklist');
    const w = el && el.widget;
    const text = w && w.exportLog();
    return text && text.includes(r) ? text : null;
  }, reason);
  const entries = JSON.parse(await log.jsonValue()).entries;
  const allowed = entries.find((e) => e.event.kind === 'submit-allowed');
  assert.match(allowed.event.payload.reason, /未经检查放行.*记录清单未能加载.*1 秒内/);
  await context.close();
});

for (const [policy, expect] of [['allow-notice', 'submits'], ['block', 'stops']]) {
  test(`the widget fails to load, policy ${policy}: the submit ${expect}, and the officer is told`, async () => {
    const { context, page, fail } = await newPage({ holdWasm: true, config: { unchecked: policy } });
    await page.goto(`${BASE}demo/?case=missing-receipt`);
    await page.waitForFunction(() => window.lawRecordChecklistGuard);
    // The config is read by the guard before the wasm fails.
    await page.waitForTimeout(300);
    fail();
    const el = page.locator('law-record-checklist');
    await el.getByRole('alert').waitFor();
    assert.match(await el.getByRole('alert').textContent(), /记录清单加载失败/);
    if (policy === 'allow-notice') {
      const events = page.evaluate(() => new Promise((resolve) => {
        document.addEventListener('submit-allowed', (e) => resolve(e.detail), true);
      }));
      await Promise.all([page.waitForURL(/submitted\.html/), page.click('#submit-case')]);
      const detail = await events.catch(() => null);
      assert.ok(detail === null || detail.checked === false);
    } else {
      await page.click('#submit-case');
      await page.waitForFunction(() => window.__events.some((e) => e.type === 'submit-blocked'));
      assert.match(await guardText(page), /不能提交：记录清单无法检查本案[\s\S]*原因：记录清单加载失败/);
      assert.equal(await submitted(page), null);
      await shot(page, 'guard-load-failed-block');
    }
    await context.close();
  });
}

test('a malformed case: the widget asks a reason (the default policy) and logs it', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(`${BASE}demo/?case=malformed`);
  const el = page.locator('law-record-checklist');
  await el.getByRole('alert').first().waitFor();
  await page.click('#submit-case');
  const dialog = widgetDialog(page);
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /记录清单无法检查本案[\s\S]*原因：平台提供的案件数据格式有误[\s\S]*技术信息：/);
  await dialog.getByRole('button', { name: '填写理由并提交' }).click();
  assert.match(await dialog.textContent(), /请填写未经检查仍要提交的理由/);
  assert.equal(await submitted(page), null);
  await dialog.getByLabel('未经检查仍要提交的理由').fill('平台数据格式调整中，纸质案卷已齐全');
  await shot(page, 'guard-malformed-reason');
  const allowed = page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('submit-allowed', (e) => resolve(e.detail), true);
  }));
  await Promise.all([page.waitForURL(/submitted\.html/), dialog.getByRole('button', { name: '填写理由并提交' }).click()]);
  const detail = await allowed.catch(() => null);
  if (detail) {
    assert.equal(detail.checked, false);
    assert.equal(detail.reason, '平台数据格式调整中，纸质案卷已齐全');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a malformed case under "block" stays unsubmitted; under "allow-notice" it goes through', async () => {
  for (const policy of ['block', 'allow-notice']) {
    const { context, page } = await newPage({ config: { unchecked: policy } });
    await page.goto(`${BASE}demo/?case=malformed`);
    await page.locator('law-record-checklist').getByRole('alert').first().waitFor();
    if (policy === 'block') {
      await page.click('#submit-case');
      await widgetDialog(page).waitFor();
      assert.match(await widgetDialog(page).textContent(), /不能提交：记录清单无法检查本案/);
      const blocked = await page.evaluate(() => window.__events.find((e) => e.type === 'submit-blocked'));
      assert.match(blocked.detail.unchecked, /平台提供的案件数据格式有误/);
      assert.equal(await submitted(page), null);
    } else {
      await Promise.all([page.waitForURL(/submitted\.html/), page.click('#submit-case')]);
    }
    await context.close();
  }
});

test('an unknown agency is not checked: the reason dialog names it', async () => {
  const { context, page } = await newPage();
  await page.goto(`${BASE}demo/?case=complete`);
  await page.locator('law-record-checklist').locator('.steps').waitFor();
  await page.evaluate(() => document.querySelector('law-record-checklist').setAttribute('agency', 'nowhere-zfj'));
  await page.click('#submit-case');
  await widgetDialog(page).waitFor();
  assert.match(await widgetDialog(page).textContent(), /nowhere-zfj/);
  assert.equal(await submitted(page), null);
  await context.close();
});
