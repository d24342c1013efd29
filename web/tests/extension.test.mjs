// The browser extension (pkg/dist/extension/) loaded unpacked into Debian's headless Chromium,
// on the demo platform served WITHOUT our script (`/platform/`), and the same page under a
// strict CSP header (`/platform-csp/`). Run by `cargo xtask test` (which serves pkg/ and sets
// BASE_URL, CHROMIUM, ARTIFACTS, EXTENSION, EXTENSION_ZIP).
import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { FLAGS } from './flags.mjs';
// Manifest V3 with 'wasm-unsafe-eval' needs Chromium 103+: this suite runs in Debian's Chromium
// only, its screenshots beside the other suites' of that browser.
import { BASE, ARTIFACTS, acknowledge } from './browsers.mjs';
const EXTENSION = process.env.EXTENSION || path.resolve('../../pkg/dist/extension');
const EXTENSION_ZIP = process.env.EXTENSION_ZIP || path.resolve('../../pkg/dist/law-record-checklist-extension.zip');
const SAMPLE_ADAPTER = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'adapters/demo-platform.json'), 'utf8'));
const RECEIPT = '29-direct-receipt@S1';
const CASE_ID = '长住建罚〔2026〕15号';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-ext-'));
after(() => { fs.rmSync(scratch, { recursive: true, force: true }); });
// Closed even when a test fails: an open browser would keep the test process alive.
const contexts = new Set();
afterEach(async () => {
  for (const c of contexts) {
    await c.close().catch(() => {});
  }
  contexts.clear();
});

// Enterprise policy as an administrator deploys it: Chromium on Linux reads
// /etc/chromium/policies/managed/*.json, and a `3rdparty` entry for an extension id becomes
// that extension's chrome.storage.managed. Each file names only this test's own copy of the
// extension and is removed after the test.
const POLICY_DIR = '/etc/chromium/policies/managed';
const policies = new Set();
afterEach(() => {
  for (const f of policies) { fs.rmSync(f, { force: true }); }
  policies.clear();
});

/** The id Chromium gives an unpacked extension: SHA-256 of its path, hex digits as a–p. */
function unpackedId(dir) {
  const hex = crypto.createHash('sha256').update(dir).digest('hex').slice(0, 32);
  return Array.from(hex, (c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * A fresh profile with the extension loaded. `managed`: set as enterprise policy for this copy
 * of the extension (needs write access to /etc/chromium, as CI's root has).
 * `local`: saved as the options page saves it, before any platform page opens.
 */
async function launch(opts) {
  const o = opts || {};
  const ext = fs.mkdtempSync(path.join(scratch, 'ext-'));
  fs.cpSync(EXTENSION, ext, { recursive: true });
  if (o.managed) {
    const file = path.join(POLICY_DIR, `law-record-checklist-test-${path.basename(ext)}.json`);
    try {
      fs.mkdirSync(POLICY_DIR, { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [unpackedId(ext)]: o.managed } } }));
    } catch (e) {
      throw new Error(`cannot set the enterprise policy the managed-settings test needs (${e.message}): run as root`);
    }
    policies.add(file);
  }
  const profile = fs.mkdtempSync(path.join(scratch, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: FLAGS.concat([`--disable-extensions-except=${ext}`, `--load-extension=${ext}`]),
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  contexts.add(context);
  let sw = context.serviceWorkers()[0];
  if (!sw) {
    sw = await context.waitForEvent('serviceworker');
  }
  const id = new URL(sw.url()).host;
  if (o.local) {
    await sw.evaluate((s) => chrome.storage.local.set({ settings: s }), o.local);
  }
  // The content script is registered by the service worker for the hosts of the settings in
  // effect; wait until it is, for these settings (not those before the local ones were saved).
  const hosts = JSON.stringify((o.managed || o.local || { hosts: ['http://127.0.0.1/*', 'http://localhost/*'] }).hosts.slice().sort());
  const deadline = Date.now() + 10000;
  for (;;) {
    const reg = await sw.evaluate(() => chrome.scripting.getRegisteredContentScripts());
    if (reg.length === 1 && JSON.stringify(reg[0].matches.slice().sort()) === hosts) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(`content script not registered: ${JSON.stringify(reg)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors, id, sw };
}

const panel = (page) => page.locator('#law-record-checklist-extension');
const status = (page) => panel(page).locator('.status');

/** The widget's frame (an extension page), once its checklist or an error is rendered. */
async function widgetFrame(page) {
  await panel(page).locator('iframe').waitFor();
  let frame = null;
  const deadline = Date.now() + 15000;
  while (!frame) {
    frame = page.frames().find((f) => f.url().startsWith('chrome-extension://') && f.url().endsWith('/frame.html'));
    if (!frame) {
      if (Date.now() > deadline) { throw new Error('no widget frame'); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await frame.waitForFunction(() => {
    const root = document.querySelector('#widget');
    return root && root.shadowRoot && root.shadowRoot.querySelector('.steps, .err');
  });
  return frame;
}

async function statusOf(frame, key, want) {
  await frame.waitForFunction(([k, w]) => {
    const li = document.querySelector('#widget').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    return li && (w === undefined || li.dataset.status === w);
  }, [key, want]);
  return frame.evaluate((k) => document.querySelector('#widget').shadowRoot.querySelector(`li.item[data-key="${k}"]`).dataset.status, key);
}

const gateText = (frame) => frame.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.gate').textContent.trim());
const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `extension-${name}.png`), fullPage: true });

/**
 * Adds a 送达回证 to S1 through the platform's own script, with the form's values set from
 * code: no input or change event fires, so only the MutationObserver can notice the new row
 * (as when a platform refreshes its record list from the server).
 */
async function addReceipt(page) {
  await page.evaluate(() => {
    document.getElementById('upload-owner').value = 'S1';
    document.getElementById('upload-kind').value = '送达回证';
    document.getElementById('upload-at').value = '2026-03-20T10:00';
    document.getElementById('upload-form').requestSubmit();
  });
}

/** The whole officer path on one platform view: appears, reads, updates, blocks. */
async function officerPath(view) {
  const { context, page, errors } = await launch();
  await page.goto(`${BASE}${view}/?case=missing-receipt`);
  await page.waitForFunction(() => window.platformReady !== undefined);
  // The page has no widget of its own: what appears is the extension's.
  assert.equal(await page.locator('script[src*="integration"], law-record-checklist').count(), 0);
  const frame = await widgetFrame(page);
  assert.equal(await page.locator('#side-panel #law-record-checklist-extension').count(), 1, 'beside the case form, in the side panel');
  const s = await status(page).textContent();
  assert.ok(s.includes(SAMPLE_ADAPTER.name) && s.includes('内置示例'), s);
  // Read from the page: the case id, the inspection's records, the service without a receipt.
  const header = await frame.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.hd .meta').textContent);
  assert.ok(header.includes(CASE_ID), header);
  assert.equal(await statusOf(frame, RECEIPT), 'missing');
  assert.notEqual(await statusOf(frame, '13-inspection-record@A1'), 'missing', 'R2 read from the table');
  // The officer adds the receipt on the page: the checklist follows.
  await addReceipt(page);
  await frame.waitForFunction((k) => {
    const li = document.querySelector('#widget').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    return li && li.dataset.status !== 'missing';
  }, RECEIPT);
  // Still blocking items (the page shows no signatures): the platform's submit is held.
  assert.match(await gateText(frame), /项阻止提交/);
  const url = page.url();
  await page.click('#submit-case');
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert.ok(text.includes('不能提交'), text);
  await page.waitForTimeout(300);
  assert.equal(page.url(), url, 'no navigation');
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null, "the platform's handler did not run");
  assert.ok(await panel(page).getAttribute('data-blocked'));
  await shot(page, `${view}-blocked`);
  assert.deepEqual(errors, []);
  await context.close();
}

test('the zip holds the same extension as the unpacked folder', () => {
  const zip = fs.readFileSync(EXTENSION_ZIP);
  // Local file headers start with PK\x03\x04; the manifest is at the root of the archive.
  assert.equal(zip.readUInt32LE(0), 0x04034b50);
  const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.minimum_chrome_version, '103');
  assert.ok(zip.includes(Buffer.from('manifest.json')) && zip.includes(Buffer.from('widget/checklist_bg.wasm')));
  // Narrow permissions: storage and scripting only; no network, tabs or cookies.
  assert.deepEqual(manifest.web_accessible_resources.map((r) => r.resources), [['frame.html']]);
  assert.deepEqual(manifest.permissions.slice().sort(), ['scripting', 'storage', 'unlimitedStorage']);
});

test('plain platform page: the widget appears, reads the case, follows the page and blocks a submit', { timeout: 120000 }, async () => {
  await officerPath('platform');
});

test('strict CSP platform page: the same through the extension iframe', { timeout: 120000 }, async () => {
  const { context, page } = await launch();
  await page.goto(`${BASE}platform-csp/?case=missing-receipt`);
  // The variant really is strict: the page cannot compile WebAssembly.
  const wasm = await page.evaluate(() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => 'compiled', () => 'refused'));
  assert.equal(wasm, 'refused');
  await context.close();
  await officerPath('platform-csp');
});

/** Settings as an administrator would write them for the demo platform. */
function settings(extra) {
  return Object.assign({ hosts: ['http://127.0.0.1/*'], agency: 'changsha-zfj', now: '2026-03-25T10:00', adapters: [SAMPLE_ADAPTER] }, extra || {});
}
const LOWER_RECEIPT = { rules: { '29-direct-receipt': { severity: 'warning', reason: '本机试行：送达回证可后补' } } };

test('local settings from the options page apply: an agency config lowers a rule', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch({ local: settings({ agencyConfig: LOWER_RECEIPT }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  assert.ok((await status(page).textContent()).includes('本机设置'));
  await statusOf(frame, RECEIPT, 'missing');
  const cls = await frame.evaluate((k) => document.querySelector('#widget').shadowRoot.querySelector(`li.item[data-key="${k}"]`).className, RECEIPT);
  assert.ok(cls.includes('sv-warning'), cls);
  assert.deepEqual(errors, []);
  await context.close();
});

test('managed settings override the local ones and cannot be edited locally', { timeout: 120000 }, async () => {
  // As policy delivers them: the adapters and the agency config as JSON text.
  const managed = { hosts: ['http://127.0.0.1/*'], agency: 'changsha-zfj', now: '2026-03-25T10:00', adapters: JSON.stringify([SAMPLE_ADAPTER]) };
  const { context, page, errors, id } = await launch({ managed, local: settings({ agencyConfig: LOWER_RECEIPT }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  assert.ok((await status(page).textContent()).includes('管理员策略下发'));
  await statusOf(frame, RECEIPT, 'missing');
  const cls = await frame.evaluate((k) => document.querySelector('#widget').shadowRoot.querySelector(`li.item[data-key="${k}"]`).className, RECEIPT);
  assert.ok(cls.includes('sv-blocking'), `the local lowering is not applied: ${cls}`);
  // The options page shows the managed settings read-only.
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.waitForFunction(() => document.body.dataset.source);
  assert.equal(await options.evaluate(() => document.body.dataset.source), 'managed');
  assert.equal(await options.locator('#settings').getAttribute('readonly'), '');
  assert.ok(await options.locator('#save').isDisabled());
  assert.ok(await options.locator('#managed-note').isVisible());
  assert.ok(!(await options.locator('#settings').inputValue()).includes('本机试行'));
  // Even a save forced from the page's script is refused.
  await options.evaluate(() => { document.getElementById('save').disabled = false; });
  await options.click('#save');
  await options.waitForFunction(() => document.getElementById('message').textContent !== '');
  assert.ok((await options.locator('#message').textContent()).includes('管理员'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the options page checks and saves local settings', { timeout: 120000 }, async () => {
  const { context, id } = await launch();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.waitForFunction(() => document.body.dataset.source === 'sample');
  await options.fill('#settings', '{"hosts": "everywhere"}');
  await options.click('#save');
  await options.waitForFunction(() => document.getElementById('message').className === 'error');
  assert.ok((await options.locator('#message').textContent()).includes('hosts'));
  await options.fill('#settings', JSON.stringify(settings({ officer: '李四' })));
  await options.click('#save');
  await options.waitForFunction(() => document.body.dataset.source === 'local');
  assert.ok((await options.locator('#settings').inputValue()).includes('李四'));
  await context.close();
});

test('a submit pressed while the extension is still loading is held, then decided by the widget', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch();
  // The content script runs at document_start: the submit is guarded before the page is read,
  // the frame loaded or the case sent to it.
  await page.goto(`${BASE}platform/?case=missing-receipt`, { waitUntil: 'domcontentloaded' });
  const early = await page.evaluate(() => !!document.querySelector('#law-record-checklist-extension iframe'));
  await page.click('#submit-case');
  const frame = await widgetFrame(page);
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /不能提交/);
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null, "the platform's handler did not run");
  assert.ok(page.url().includes('/platform/'), `no navigation (the frame was ${early ? 'there' : 'not there yet'} at the click)`);
  await shot(page, 'extension-early-submit');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a broken adapter shows a clear message and the page keeps working', { timeout: 120000 }, async () => {
  const broken = Object.assign({}, SAMPLE_ADAPTER, { name: '坏适配器', case_id: { selector: '#no-such-case-id' } });
  const { context, page, errors } = await launch({ local: settings({ adapters: [broken] }) });
  await page.goto(`${BASE}platform-csp/?case=missing-receipt`);
  const alert = panel(page).locator('.status[role="alert"]');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.ok(text.includes('坏适配器') && text.includes('案号') && text.includes('#no-such-case-id') && text.includes('找不到'), text);
  assert.ok(text.includes('平台的其他功能不受影响'), text);
  await shot(page, 'broken-adapter');
  // The platform still works: a record is added, and the submit goes through unchecked once
  // the officer gives a reason (the agency config's default `unchecked` policy).
  await addReceipt(page);
  await page.waitForFunction(() => document.querySelectorAll('#records-body tr').length === 4);
  await page.click('#submit-case');
  const guard = page.locator('[data-law-record-checklist-guard]');
  await guard.getByRole('dialog').waitFor();
  assert.match(await guard.getByRole('dialog').textContent(), /记录清单无法检查本案[\s\S]*坏适配器/);
  await guard.getByLabel('未经检查仍要提交的理由').fill('平台页面改版，适配器待更新，已报告信息科');
  await Promise.all([page.waitForURL(/submitted\.html/), guard.getByRole('button', { name: '填写理由并提交' }).click()]);
  assert.equal(await page.locator('#submitted').textContent(), '提交成功');
  assert.deepEqual(errors, []);
  await context.close();
});

test('warnings only: the officer gives a reason in the widget and the platform form submits', { timeout: 120000 }, async () => {
  const lower = (reason) => ({ severity: 'warning', reason });
  const agencyConfig = { rules: {
    '9-filing-form': lower('试行'), '13-inspection-record': lower('试行'), '13-inspection-av': lower('试行'), '29-direct-receipt': lower('试行'),
  } };
  const { context, page, errors, sw } = await launch({ local: settings({ agencyConfig }) });
  await page.goto(`${BASE}platform-csp/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  await statusOf(frame, RECEIPT, 'missing');
  assert.equal(await gateText(frame), '可以提交');
  await page.click('#submit-case');
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null, 'held until a reason is given');
  await dialog.getByLabel('仍要提交的理由').fill('回证已寄出，待退回后补入');
  await Promise.all([page.waitForURL(/submitted\.html/), dialog.getByRole('button', { name: '填写理由并提交' }).click()]);
  assert.ok(page.url().includes('case='), 'the platform form submitted its own fields');
  // The reason is kept in the extension frame's storage, not in the platform's origin.
  assert.ok(!(await page.evaluate(() => JSON.stringify(Object.assign({}, localStorage)))).includes('回证已寄出'));
  const kept = await sw.evaluate(() => chrome.storage.local.get(null));
  assert.ok(Object.keys(kept).some((k) => k.startsWith('ls:') && kept[k].includes('回证已寄出')), 'kept in the extension');
  // Ticks survive a reload: acknowledge an item, reload the platform page, still acknowledged.
  await page.goto(`${BASE}platform-csp/?case=missing-receipt`);
  const again = await widgetFrame(page);
  await acknowledge(again.locator(`#widget li.item[data-key="${RECEIPT}"]`));
  await statusOf(again, RECEIPT, 'acknowledged');
  await page.reload();
  const third = await widgetFrame(page);
  assert.equal(await statusOf(third, RECEIPT), 'acknowledged', 'the acknowledgment was kept');
  // No storage warning in the widget.
  const shown = await third.evaluate(() => document.querySelector('#widget').shadowRoot.textContent);
  assert.ok(!shown.includes('禁止本地存储'), 'no storage warning');
  // The case log is kept in the extension as well, one chain across the reloads, and the frame
  // (denied IndexedDB) shows no log storage warning.
  assert.ok(!shown.includes('IndexedDB') && !shown.includes('操作日志未能'), 'no log storage warning');
  const stored = await sw.evaluate(() => chrome.storage.local.get(null));
  const logKey = Object.keys(stored).find((k) => k.startsWith('log:'));
  assert.ok(logKey, 'a case log in chrome.storage.local');
  const entries = JSON.parse(stored[logKey]).entries;
  assert.ok(JSON.stringify(entries).includes('回证已寄出'), 'the submit and its reason are in the log');
  entries.forEach((e, i) => { if (i > 0) { assert.equal(e.prev, entries[i - 1].hash, `entry ${i} continues the chain`); } });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a file picked in the platform's own input is hashed in the extension, and nothing is sent", { timeout: 120000 }, async () => {
  const { context, page, errors, sw } = await launch();
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
  await page.goto(`${BASE}platform-csp/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  await statusOf(frame, '13-inspection-av@A1');
  const before = requests.length;
  const bytes = Buffer.from('行政执法全过程记录 · 执法记录仪视频（测试）'.repeat(1000));
  const digest = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
  // A file on disk goes through the browser's own file input (trusted events), as a pick does.
  const picked = path.join(scratch, 'A1-执法记录仪-02.mp4');
  fs.writeFileSync(picked, bytes);
  await page.setInputFiles('#av-file', picked);
  await frame.waitForFunction((d) => {
    const li = document.querySelector('#widget').shadowRoot.querySelector('li.item[data-key="13-inspection-av@A1"]');
    return li && Array.prototype.some.call(li.querySelectorAll('li.file'), (f) => f.textContent.includes(d));
  }, digest);
  for (const r of requests.slice(before)) {
    assert.equal(r.method, 'GET', r.url);
    assert.equal(r.body, null, r.url);
    assert.ok(r.url.startsWith('chrome-extension://'), `only the extension's own files: ${r.url}`);
  }
  // The fingerprint is kept in the extension's media store (written just after it is shown;
  // the case log under `log:` holds the digest too, earlier), and a reload shows it again.
  const deadline = Date.now() + 20000;
  for (;;) {
    const all = await sw.evaluate(() => chrome.storage.local.get(null));
    const kept = JSON.stringify(Object.keys(all).filter((k) => k.startsWith('media:')).map((k) => all[k]));
    if (kept.includes(digest)) { break; }
    assert.ok(Date.now() < deadline, 'the fingerprint reaches chrome.storage.local');
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.reload();
  const after = await widgetFrame(page);
  await after.waitForFunction((d) => {
    const li = document.querySelector('#widget').shadowRoot.querySelector('li.item[data-key="13-inspection-av@A1"]');
    return li && Array.prototype.some.call(li.querySelectorAll('li.file'), (f) => f.textContent.includes(d));
  }, digest);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the widget frame answers nothing to a page that embeds it on its own', { timeout: 120000 }, async () => {
  // Any site can embed the web-accessible frame. Without the secret our content script shares
  // with the frame it creates, the frame neither connects nor answers: a site learns nothing,
  // not even that the extension is installed.
  const { context, page, id } = await launch({ local: settings({ hosts: ['http://localhost/*'] }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  await page.waitForFunction(() => window.platformReady !== undefined);
  assert.equal(await panel(page).count(), 0, 'no content script on 127.0.0.1');
  const replies = await page.evaluate((src) => new Promise((resolve) => {
    const f = document.createElement('iframe');
    f.src = src;
    const got = [];
    f.onload = () => {
      for (const secret of [undefined, '', '00000000000000000000000000000000']) {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => got.push(e.data);
        f.contentWindow.postMessage({ type: 'lrc-connect', secret }, '*', [ch.port2]);
      }
      setTimeout(() => resolve(got), 3000);
    };
    document.body.appendChild(f);
  }), `chrome-extension://${id}/frame.html`);
  assert.deepEqual(replies, []);
  await context.close();
});

test('a page script that races to connect to the widget frame cannot take it over', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch();
  // From the first moment the page posts its own connections to every frame it can reach, and
  // would answer as the content script does (its own case, submits allowed).
  await context.addInitScript(() => {
    window.__answers = [];
    const t0 = Date.now();
    const race = () => {
      for (let i = 0; i < window.frames.length; i++) {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => {
          window.__answers.push(e.data && e.data.type);
          ch.port1.postMessage({ type: 'case', case: { id: '伪造', procedure: 'simple', agency: 'changsha-zfj', activities: [] } });
        };
        try { window.frames[i].postMessage({ type: 'lrc-connect' }, '*', [ch.port2]); } catch (e) { /* cross-origin frames refuse nothing here */ }
      }
      if (Date.now() - t0 < 6000) { setTimeout(race, 2); }
    };
    race();
  });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  const header = await frame.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.hd .meta').textContent);
  assert.ok(header.includes(CASE_ID), `the platform's own case, not the page script's: ${header}`);
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => window.__answers), [], 'the frame never answered the page script');
  assert.equal(await status(page).getAttribute('role'), null, 'no error shown');
  // The submit is still checked by the widget the content script connected to.
  await page.click('#submit-case');
  await frame.locator('#widget').getByRole('dialog').waitFor();
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('events a page script makes up are not the officer\'s: a synthetic submit, a file set by script', { timeout: 120000 }, async () => {
  const { context, page } = await launch();
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  await statusOf(frame, RECEIPT, 'missing');
  // A submit event dispatched by script submits nothing, and opens no dialog.
  await page.evaluate(() => document.getElementById('case-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
  // A 30-byte "video" put in the platform's file input by script, with a change event.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['x'.repeat(30)], 'forged.mp4', { type: 'video/mp4', lastModified: Date.UTC(2026, 2, 2, 2, 30) }));
    const input = document.getElementById('av-file');
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForTimeout(1500);
  assert.equal(await frame.locator('#widget').getByRole('dialog').count(), 0, 'no dialog for a synthetic submit');
  const files = await frame.evaluate(() => document.querySelector('#widget').shadowRoot.textContent);
  assert.ok(!files.includes('forged.mp4'), 'the scripted file was not taken as footage');
  await context.close();
});

test('an adapter value given as a bare selector string is read as that selector', { timeout: 120000 }, async () => {
  const shorthand = Object.assign({}, SAMPLE_ADAPTER, { case_id: '#case-id' });
  const { context, page } = await launch({ local: settings({ adapters: [shorthand] }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  const header = await frame.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.hd .meta').textContent);
  assert.ok(header.includes(CASE_ID), header);
  await context.close();
});
