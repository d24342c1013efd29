// The browser extension (pkg/dist/extension/) loaded unpacked into Debian's headless Chromium,
// on the demo platform served WITHOUT our script (`/platform/`), and the same page under a
// strict CSP header (`/platform-csp/`). Run by `cargo xtask test` (which serves pkg/ and sets
// BASE_URL, CHROMIUM, ARTIFACTS, EXTENSION, EXTENSION_ZIP).
import { test, after, afterEach } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { FLAGS } from './flags.mjs';
// Manifest V3 with 'wasm-unsafe-eval' needs Chromium 103+: this suite runs in Debian's Chromium
// only, its screenshots beside the other suites' of that browser.
import { BASE, ARTIFACTS, acknowledge } from './browsers.mjs';
const EXTENSION = process.env.EXTENSION || path.resolve('../../pkg/dist/extension');
const EXTENSION_MV2 = process.env.EXTENSION_MV2 || path.resolve('../../pkg/dist/extension-mv2');
// The widget's wasm in an unpacked extension: its name carries its content.
const widgetWasm = (dir) => {
  const names = fs.readdirSync(path.join(dir, 'widget')).filter((n) => /^checklist_bg\.[0-9a-f]{16}\.wasm$/.test(n));
  assert.equal(names.length, 1, `one versioned wasm in ${dir}/widget: ${names.join(', ')}`);
  return names[0];
};
// Chromium 139+ turns Manifest V2 off; these features give it back, as Chromium 83–102 run it.
const MV2_FLAGS = ['--disable-features=ExtensionManifestV2Unsupported,ExtensionManifestV2Disabled,ExtensionManifestV2DeprecationWarning'];
const EXTENSION_ZIP = process.env.EXTENSION_ZIP || path.resolve('../../pkg/dist/law-record-checklist-extension.zip');
const SAMPLE_ADAPTER = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'adapters/demo-platform.json'), 'utf8'));
// The `rules` CLI, built by `cargo xtask test extension`.
const RULES = process.env.RULES_BIN || path.resolve('../../target/debug/rules');
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
  fs.cpSync(o.mv2 ? EXTENSION_MV2 : EXTENSION, ext, { recursive: true });
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
    args: FLAGS.concat([`--disable-extensions-except=${ext}`, `--load-extension=${ext}`], o.mv2 ? MV2_FLAGS : []),
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  contexts.add(context);
  // The extension's own context: its service worker (MV3), or for MV2 one of its pages (this
  // Playwright reports no MV2 background page; the id of an unpacked extension is known).
  let sw = o.mv2 ? null : context.serviceWorkers()[0];
  if (o.mv2) {
    sw = await context.newPage();
    await sw.goto(`chrome-extension://${unpackedId(ext)}/options.html`);
  } else if (!sw) {
    sw = await context.waitForEvent('serviceworker');
  }
  const id = new URL(sw.url()).host;
  if (o.local) {
    await sw.evaluate((s) => new Promise((r) => chrome.storage.local.set({ settings: s }, r)), o.local);
  }
  // MV2 declares its content script in the manifest: nothing to register.
  const page0 = o.mv2 ? await context.newPage() : null;
  if (o.mv2) {
    const errors = [];
    page0.on('pageerror', (e) => errors.push(String(e)));
    return { context, page: page0, errors, id, sw };
  }
  // The content script is registered by the service worker for the hosts of the settings in
  // effect; wait until it is, for these settings (not those before the local ones were saved).
  const hosts = JSON.stringify((o.managed || o.local || { hosts: ['http://127.0.0.1/*', 'http://localhost/*'] }).hosts.slice().sort());
  const deadline = Date.now() + 10000;
  for (;;) {
    if (o.unregistered) { break; }
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

/** Whether a frame is the widget's (its address carries the frame id of its content script). */
const isWidgetFrame = (f) => f.url().startsWith('chrome-extension://') && f.url().split('#')[0].endsWith('/frame.html');

/**
 * The widget's frame (an extension page), once its checklist or an error is rendered;
 * `within`: the platform frame it is mounted in, when not the top page.
 */
async function widgetFrame(page, within) {
  await panel(within || page).locator('iframe').waitFor();
  let frame = null;
  const deadline = Date.now() + 15000;
  while (!frame) {
    frame = page.frames().find(isWidgetFrame);
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
  assert.ok(zip.includes(Buffer.from('manifest.json')) && zip.includes(Buffer.from(`widget/${widgetWasm(EXTENSION)}`)));
  // Narrow permissions: storage and scripting only; no network, tabs or cookies.
  // The frame, and the page script that copies page variables an adapter names (`global`).
  assert.deepEqual(manifest.web_accessible_resources.map((r) => r.resources), [['frame.html', 'page-globals.js']]);
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
  // The message first says 正在检查…, then the refusal.
  await options.waitForFunction(() => document.getElementById('message').className === 'error');
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

test('the options page says where the checklist record lives and that this copy is a cache', { timeout: 120000 }, async () => {
  const { context, id } = await launch();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  const words = (await options.locator('#record-where').textContent()).replace(/\s+/g, '');
  for (const said of ['只保存在这台电脑、这个浏览器的扩展存储中', '平台的服务器不保存它', '只是工作用的缓存，不是存档',
    '「导出清单记录」', '「导入清单记录」', '合并', '不会覆盖']) {
    assert.ok(words.includes(said), `the options page says ${said}: ${words}`);
  }
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-options-record.png'), fullPage: true });
  await context.close();
});

/** The case log the extension keeps for the demo case (chrome.storage.local `log:` key). */
async function storedLog(sw) {
  const all = await sw.evaluate(() => chrome.storage.local.get(null));
  const key = Object.keys(all).find((k) => k.startsWith('log:') && k.includes(CASE_ID));
  return key ? JSON.parse(all[key]).entries : [];
}

test('the checklist record leaves the extension as a file and is imported on another PC; bad files are refused', { timeout: 120000 }, async () => {
  // Officer A's PC: a confirmation with its note, then 导出清单记录.
  const a = await launch();
  await a.page.goto(`${BASE}platform/?case=missing-receipt`);
  const fa = await widgetFrame(a.page);
  await acknowledge(fa.locator(`#widget li.item[data-key="${RECEIPT}"]`), '纸质送达回证已签收，见卷宗第12页');
  await statusOf(fa, RECEIPT, 'acknowledged');
  const [download] = await Promise.all([a.page.waitForEvent('download'), fa.click('#record-export')]);
  assert.equal(download.suggestedFilename(), `${CASE_ID}.record.json`);
  const file = path.join(scratch, download.suggestedFilename());
  await download.saveAs(file);
  const record = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(record.format, 'law-record-checklist/1');
  assert.equal(record.case_id, CASE_ID);
  assert.equal(record.acknowledgments.find((x) => x.item === RECEIPT).note, '纸质送达回证已签收，见卷宗第12页');
  // The same record the extension keeps, and one the CLI accepts.
  assert.deepEqual(record.log.entries.map((e) => e.hash), (await storedLog(a.sw)).map((e) => e.hash));
  const cli = spawnSync(RULES, ['record', 'check', file], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.ok((await fa.locator('#record-message').textContent()).includes(`已导出 ${CASE_ID}.record.json`));
  await shot(a.page, 'record-exported');
  assert.deepEqual(a.errors, []);
  await a.context.close();

  // The reviewer's PC: nothing of A's until the file is imported; then A's confirmation and
  // log, with nothing added by the import (this PC had done nothing: no merge entry).
  const b = await launch();
  await b.page.goto(`${BASE}platform/?case=missing-receipt`);
  const fb = await widgetFrame(b.page);
  assert.equal(await statusOf(fb, RECEIPT), 'missing');
  await fb.setInputFiles('#record-import', file);
  await statusOf(fb, RECEIPT, 'acknowledged');
  const row = await fb.locator(`#widget li.item[data-key="${RECEIPT}"]`).textContent();
  assert.ok(row.includes('纸质送达回证已签收，见卷宗第12页'), row);
  assert.ok((await fb.locator('#record-message').textContent()).includes('已导入'));
  const deadline = Date.now() + 10000;
  let kept = [];
  while (Date.now() < deadline) {
    kept = await storedLog(b.sw);
    if (kept.length >= record.log.entries.length) { break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(kept.map((e) => e.hash), record.log.entries.map((e) => e.hash), 'the imported log kept as it is');

  // Refused, each with its reason, the local copy kept: another case's record, and one whose
  // note was edited without recomputing the log.
  const other = path.join(scratch, 'other.record.json');
  fs.writeFileSync(other, JSON.stringify(Object.assign({}, record, { case_id: '别的案件〔2026〕1号' })));
  await fb.setInputFiles('#record-import', other);
  await fb.waitForFunction(() => document.getElementById('record-message').className === 'error');
  let said = await fb.locator('#record-message').textContent();
  assert.ok(said.includes('未导入') && said.includes('别的案件〔2026〕1号'), said);
  const edited = path.join(scratch, 'edited.record.json');
  fs.writeFileSync(edited, fs.readFileSync(file, 'utf8').split('见卷宗第12页').join('见卷宗第99页'));
  await fb.setInputFiles('#record-import', edited);
  await fb.waitForFunction(() => document.getElementById('record-message').textContent.includes('edited.record.json'));
  said = await fb.locator('#record-message').textContent();
  assert.ok(said.includes('未导入') && said.includes('未通过校验'), said);
  const notice = await fb.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.record-notice').textContent);
  assert.ok(notice.includes('本机记录保持不变'), notice);
  assert.equal(await statusOf(fb, RECEIPT), 'acknowledged');
  assert.ok((await fb.locator(`#widget li.item[data-key="${RECEIPT}"]`).textContent()).includes('见卷宗第12页'));
  assert.deepEqual((await storedLog(b.sw)).map((e) => e.hash), record.log.entries.map((e) => e.hash));
  await shot(b.page, 'record-imported');
  assert.deepEqual(b.errors, []);
  await b.context.close();
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

/**
 * Another vendor's case page: the documents in one table and the service receipts in another,
 * each with its own columns in its own order, found by their header text.
 */
const VENDOR_B_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>案件详情</title></head><body>
<h1>案件详情 <span id="caseNo">长住建罚〔2026〕31号</span></h1>
<form id="caseForm"><div id="aside"></div>
<table id="docs"><thead><tr><th>序号</th><th>文书名称</th><th>制作时间</th><th>内容要素</th></tr></thead>
<tbody><tr><td>W1</td><td>立案审批表</td><td>2026-03-02 16:00</td>
<td>当事人基本情况、案件来源、基本案情、核查情况及立案理由、承办人意见、法制人员意见、承办机构负责人意见、行政执法机关负责人意见</td></tr></tbody></table>
<table id="receipts"><thead><tr><th>送达事项</th><th>回证编号</th><th>记载事项</th><th>送达时间</th></tr></thead>
<tbody><tr><td>送达 行政处罚决定书 S1</td><td>H1</td><td>送达文书名称、送达时间和地点、送达人、受送达人或签收人、签收情况</td><td>2026-03-20 10:00</td></tr>
<tr><td colspan="4">暂无数据</td></tr></tbody></table>
<button id="btnSubmit" type="submit">提交审核</button></form></body></html>`;

function vendorB(extra) {
  return Object.assign({
    name: '某厂商平台（两张表）',
    pages: ['*://*/vendor-b/*'],
    mount: '#aside',
    case_id: '#caseNo',
    procedure: { value: 'ordinary' },
    owners: { service: '^送达 (?<document>\\S+) (?<id>S\\d+)$', service_method: 'direct' },
    records: [
      { list: '#docs tbody', rows: 'tr', id: { column: '序号' }, kind: { column: '文书名称' },
        made_at: { column: '制作时间', type: 'time' }, elements: { column: '内容要素', split: '、' } },
      { list: '#receipts tbody', rows: 'tr', id: { column: '回证编号' }, kind: { value: '送达回证' },
        owner: { column: '送达事项' }, made_at: { column: '送达时间', type: 'time' }, elements: { column: '记载事项', split: '、' } },
    ],
    submit: '#caseForm',
  }, extra || {});
}

test('an adapter reads two records tables, each by its own column headers', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch({ local: settings({ adapters: [vendorB()] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_B_PAGE }));
  await page.goto(`${BASE}vendor-b/case.html`);
  const frame = await widgetFrame(page);
  // The receipt from the second table, with its elements from the column named 记载事项,
  // belongs to S1; the filing form from the first table is complete.
  assert.equal(await statusOf(frame, RECEIPT, 'satisfied'), 'satisfied');
  assert.equal(await statusOf(frame, '9-filing-form@case', 'satisfied'), 'satisfied');
  await shot(page, 'vendor-b-two-tables');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a column the table does not have is named with the headers it has', { timeout: 120000 }, async () => {
  const adapter = vendorB();
  adapter.records[1].kind = { column: '文书种类' };
  const { context, page, errors } = await launch({ local: settings({ adapters: [adapter] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_B_PAGE }));
  await page.goto(`${BASE}vendor-b/case.html`);
  const alert = panel(page).locator('.status[role="alert"]');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.ok(text.includes('记录类型') && text.includes('records[1].kind'), text);
  assert.ok(text.includes('列「文书种类」在表头中找不到') && text.includes('送达事项、回证编号、记载事项、送达时间'), text);
  assert.ok(text.includes('第 2 个记录列表第 1 行'), text);
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * A platform that shows its case form in a same-origin iframe of its top page (a frame set of
 * menu and work area): vendor B's case page, its filing form lacking two elements (a blocking
 * item), whose own submit handler marks the body.
 */
const VENDOR_F_TOP = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>综合执法平台</title></head><body>
<header id="top-menu">综合执法平台 · 案件办理</header>
<iframe id="work" name="work" src="case.html" style="width:1200px;height:1000px;border:0"></iframe></body></html>`;
const VENDOR_F_CASE = VENDOR_B_PAGE.replace('、承办机构负责人意见、行政执法机关负责人意见', '').replace('</body>', `<script>
document.getElementById('caseForm').addEventListener('submit', function (e) { e.preventDefault(); document.body.dataset.submitted = '1'; });
</script></body>`);

async function vendorFrames(page) {
  await page.route('**/vendor-f/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8',
    body: route.request().url().includes('case.html') ? VENDOR_F_CASE : VENDOR_F_TOP }));
}

test('a case page inside a same-origin iframe: the widget reads and guards that frame, and the top page cannot connect', { timeout: 120000 }, async () => {
  const adapter = vendorB({ name: '某厂商平台（框架页）', pages: ['*://*/vendor-f/case.html*'] });
  const { context, page, errors } = await launch({ local: settings({ adapters: [adapter] }) });
  // From the first moment every frame (the top page and the platform's own iframe, which it
  // can script: same origin) posts its own connections to every frame it can reach.
  await context.addInitScript(() => {
    window.__answers = [];
    const t0 = Date.now();
    const reach = (w, out) => { for (let i = 0; i < w.frames.length; i++) { out.push(w.frames[i]); reach(w.frames[i], out); } return out; };
    const race = () => {
      let all = [];
      try { all = reach(window, []); } catch (e) { all = []; }
      all.forEach((f) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => {
          window.__answers.push(e.data && e.data.type);
          ch.port1.postMessage({ type: 'case', case: { id: '伪造', procedure: 'simple', agency: 'changsha-zfj', activities: [] } });
        };
        try { f.postMessage({ type: 'lrc-connect' }, '*', [ch.port2]); } catch (e) { /* a frame gone meanwhile */ }
      });
      if (Date.now() - t0 < 6000) { setTimeout(race, 5); }
    };
    race();
  });
  await vendorFrames(page);
  await page.goto(`${BASE}vendor-f/main.html`);
  const work = page.frame({ name: 'work' });
  const frame = await widgetFrame(page, work);
  // Mounted in the frame's own mount point, not in the top page.
  assert.equal(await work.locator('#aside #law-record-checklist-extension').count(), 1);
  assert.equal(await page.locator('#law-record-checklist-extension').count(), 0, 'nothing in the top page');
  const header = await frame.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.hd .meta').textContent);
  assert.ok(header.includes('长住建罚〔2026〕31号'), `the frame's case: ${header}`);
  assert.equal(await statusOf(frame, RECEIPT, 'satisfied'), 'satisfied', 'the receipt read from the frame');
  assert.notEqual(await statusOf(frame, '9-filing-form@case'), 'satisfied', 'the filing form as the frame shows it');
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => window.__answers), [], 'the widget never answered the top page');
  assert.deepEqual(await work.evaluate(() => window.__answers), [], 'nor the platform frame\'s own scripts');
  // The frame's submit is held for the widget, which blocks it (the filing form): the
  // platform's handler does not run.
  assert.match(await gateText(frame), /项阻止提交/);
  await work.click('#btnSubmit');
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /不能提交/);
  assert.equal(await work.getAttribute('body', 'data-submitted'), null, "the frame's submit handler did not run");
  await shot(page, 'vendor-iframe');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a case page in an iframe of another origin: read and guarded when that origin is under hosts', { timeout: 120000 }, async () => {
  // The platform's menu on one origin, its case pages on another (127.0.0.1 and localhost).
  const other = BASE.replace('127.0.0.1', 'localhost');
  const adapter = vendorB({ name: '某厂商平台（跨源框架页）', pages: ['*://*/vendor-f/case.html*'] });
  const { context, page, errors } = await launch({ local: settings({ hosts: ['http://127.0.0.1/*', 'http://localhost/*'], adapters: [adapter] }) });
  await page.route('**/vendor-f/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8',
    body: route.request().url().includes('case.html') ? VENDOR_F_CASE : VENDOR_F_TOP.replace('src="case.html"', `src="${other}vendor-f/case.html"`) }));
  await page.goto(`${BASE}vendor-f/main.html`);
  const work = page.frame({ name: 'work' });
  assert.ok(work.url().startsWith(other), work.url());
  const frame = await widgetFrame(page, work);
  assert.equal(await page.locator('#law-record-checklist-extension').count(), 0, 'nothing in the top page');
  assert.equal(await statusOf(frame, RECEIPT, 'satisfied'), 'satisfied', 'the receipt read from the other origin\'s frame');
  await work.click('#btnSubmit');
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /不能提交/);
  assert.equal(await work.getAttribute('body', 'data-submitted'), null, "the frame's submit handler did not run");
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * A vendor page that shows what the demo platform does not: the inspection with its times and
 * place, the service with its method and time, and per record its pages, elements, signatures
 * (role：name, the date beside them, whether on every page) and audio-video files.
 */
const INSPECTION_ELEMENTS = '检查起止时间、检查地点、检查人员姓名和执法证号码、当事人和见证人的基本情况、通知当事人到场情况、出示执法证件情况、告知当事人权利义务情况、当事人陈述申辩情况、检查情况、总页数和页码';
const VENDOR_S_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>案件详情</title></head><body>
<h1>案件详情 <span id="caseNo">长住建罚〔2026〕32号</span></h1>
<form id="caseForm"><div id="aside"></div>
<table id="acts"><thead><tr><th>活动编号</th><th>活动类型</th><th>开始时间</th><th>结束时间</th><th>地点</th></tr></thead>
<tbody><tr><td>A1</td><td>现场检查</td><td>2026-03-03 09:00</td><td>2026-03-03 10:30</td><td>长沙县星沙街道某工地</td></tr></tbody></table>
<table id="svcs"><thead><tr><th>送达编号</th><th>送达文书</th><th>送达方式</th><th>送达时间</th></tr></thead>
<tbody><tr><td>S1</td><td>行政处罚决定书</td><td>直接送达</td><td>2026-03-20 10:00</td></tr></tbody></table>
<table id="docs"><thead><tr><th>序号</th><th>所属</th><th>文书名称</th><th>制作时间</th><th>页数</th><th>内容要素</th><th>签名</th><th>签名日期</th><th>逐页签名</th><th>音像文件</th><th>拍摄结束</th><th>存储时间</th></tr></thead>
<tbody><tr><td>W1</td><td>案件</td><td>立案审批表</td><td>2026-03-02 16:00</td><td>1</td>
<td>当事人基本情况、案件来源、基本案情、核查情况及立案理由、承办人意见、法制人员意见、承办机构负责人意见、行政执法机关负责人意见</td><td>行政执法机关负责人：李四</td><td>2026-03-02</td><td>否</td><td></td><td></td><td></td></tr>
<tr><td>R1</td><td>A1</td><td>现场检查(勘验)笔录</td><td>2026-03-03 10:30</td><td>3</td><td>${INSPECTION_ELEMENTS}</td>
<td>当事人：王五、见证人：赵六、检查人员：张三</td><td>2026-03-03</td><td>是</td><td></td><td></td><td></td></tr>
<tr><td>V1</td><td>A1</td><td>音像记录</td><td>2026-03-03 10:30</td><td></td><td></td><td></td><td></td><td></td><td>A1-现场检查.mp4</td><td>2026-03-03 10:30</td><td>2026-03-03 18:00</td></tr>
<tr><td>H1</td><td>S1</td><td>送达回证</td><td>2026-03-20 10:00</td><td>1</td><td>送达文书名称、送达时间和地点、送达人、受送达人或签收人、签收情况</td>
<td>受送达人：王五</td><td>2026-03-20</td><td>否</td><td></td><td></td><td></td></tr></tbody></table>
<button id="btnSubmit" type="submit">提交审核</button></form></body></html>`;

/** An adapter for VENDOR_S_PAGE; `details`: read the signatures and files too. */
function vendorS(details) {
  const docs = { list: '#docs tbody', rows: 'tr', id: { column: '序号' }, owner: { column: '所属' }, kind: { column: '文书名称' },
    made_at: { column: '制作时间', type: 'time' }, pages: { column: '页数', type: 'number' }, elements: { column: '内容要素', split: '、' } };
  if (details) {
    Object.assign(docs, { signatures: { column: '签名', split: '、' }, signed_at: { column: '签名日期', type: 'time' },
      signed_every_page: { column: '逐页签名' }, media: { column: '音像文件', split: '；' },
      media_recorded_to: { column: '拍摄结束', type: 'time' }, media_stored_at: { column: '存储时间', type: 'time' } });
  }
  return {
    name: details ? '某厂商平台（签名与音像）' : '某厂商平台（不读签名）',
    pages: ['*://*/vendor-s/*'],
    mount: '#aside',
    case_id: '#caseNo',
    procedure: { value: 'ordinary' },
    owners: { activity: '^(?<id>A\\d+)$', service: '^(?<id>S\\d+)$' },
    activities: { list: '#acts tbody', rows: 'tr', id: { column: '活动编号' }, kind: { column: '活动类型' },
      start: { column: '开始时间', type: 'time' }, end: { column: '结束时间', type: 'time' }, place: { column: '地点' } },
    services: { list: '#svcs tbody', rows: 'tr', id: { column: '送达编号' }, document: { column: '送达文书' },
      method: { column: '送达方式', map: { 直接送达: 'direct', 邮寄送达: 'postal', 留置送达: 'left', 公告送达: 'public-notice' } },
      at: { column: '送达时间', type: 'time' } },
    records: docs,
    submit: '#caseForm',
  };
}

test('signatures, files, activity times and places, service method and time are read from the page where it shows them', { timeout: 120000 }, async () => {
  // The same page through an adapter that does not read signatures and files: the inspection
  // record and its footage are not complete, as on the demo platform through the sample.
  {
    const { context, page, errors } = await launch({ local: settings({ adapters: [vendorS(false)] }) });
    await page.route('**/vendor-s/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_S_PAGE }));
    await page.goto(`${BASE}vendor-s/case.html`);
    const frame = await widgetFrame(page);
    assert.equal(await statusOf(frame, '9-filing-form@case', 'satisfied'), 'satisfied');
    assert.notEqual(await statusOf(frame, '13-inspection-record@A1'), 'satisfied', 'no signatures read');
    assert.notEqual(await statusOf(frame, '13-inspection-av@A1'), 'satisfied', 'no file read');
    await shot(page, 'vendor-s-without-details');
    assert.deepEqual(errors, []);
    await context.close();
  }
  const { context, page, id, errors } = await launch({ local: settings({ adapters: [vendorS(true)] }) });
  await page.route('**/vendor-s/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_S_PAGE }));
  await page.goto(`${BASE}vendor-s/case.html`);
  const frame = await widgetFrame(page);
  // Read from the page, the must items left incomplete above are met.
  assert.equal(await statusOf(frame, '13-inspection-record@A1', 'satisfied'), 'satisfied', 'signed on every page, dated');
  assert.equal(await statusOf(frame, '13-inspection-av@A1', 'satisfied'), 'satisfied', 'the footage file');
  // Its storage time is read too: stored 7.5 hours after recording ended, within 24 hours.
  assert.equal(await statusOf(frame, '41-av-stored-24h@V1/A1-现场检查.mp4', 'satisfied'), 'satisfied', 'stored in time');
  assert.equal(await statusOf(frame, RECEIPT, 'satisfied'), 'satisfied');
  await shot(page, 'vendor-s-with-details');
  const options = await readingView(context, id, 'ok');
  const cells = await options.locator('#reading td').allTextContents();
  for (const want of ['A1', '现场检查', '2026-03-03T09:00', '2026-03-03T10:30', '长沙县星沙街道某工地',
    'S1', '行政处罚决定书', 'direct', '2026-03-20T10:00', 'A1-现场检查.mp4（拍摄至 2026-03-03T10:30，存储 2026-03-03T18:00）',
    '当事人：王五（逐页） 2026-03-03T00:00、见证人：赵六（逐页） 2026-03-03T00:00、检查人员：张三（逐页） 2026-03-03T00:00',
    '行政执法机关负责人：李四 2026-03-02T00:00']) {
    assert.ok(cells.includes(want), `${want} in ${JSON.stringify(cells)}`);
  }
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-options-reading-details.png'), fullPage: true });
  // A signer who refused is read as such: the record no longer has the party's signature.
  await page.evaluate(() => {
    const td = Array.from(document.querySelectorAll('#docs td')).find((x) => x.textContent.startsWith('当事人：王五'));
    td.textContent = '当事人：王五（拒签）、见证人：赵六、检查人员：张三';
  });
  await options.waitForFunction(() => Array.from(document.querySelectorAll('#reading td')).some((td) => td.textContent.includes('王五（拒签）')));
  // A date beside one signer is that signer's; the others keep the row's date.
  await page.evaluate(() => {
    const td = Array.from(document.querySelectorAll('#docs td')).find((x) => x.textContent.startsWith('当事人：王五'));
    td.textContent = '当事人：王五 2026年3月4日、见证人：赵六（2026-03-05 09:30）、检查人员：张三';
  });
  await options.waitForFunction(() => Array.from(document.querySelectorAll('#reading td')).some((td) =>
    td.textContent === '当事人：王五（逐页） 2026-03-04T00:00、见证人：赵六（逐页） 2026-03-05T09:30、检查人员：张三（逐页） 2026-03-03T00:00'));
  // A method of service the adapter's map does not translate is named, not sent on.
  await page.evaluate(() => { Array.from(document.querySelectorAll('#svcs td')).find((x) => x.textContent === '直接送达').textContent = '电子送达'; });
  await options.waitForFunction(() => document.body.dataset.reading === 'errors');
  const errs = await options.locator('#reading .errors li').allTextContents();
  assert.ok(errs.length === 1 && errs[0].includes('「送达方式」（services.method）') && errs[0].includes('电子送达') && errs[0].includes('送达列表第 1 行「S1'), JSON.stringify(errs));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the settings checker knows the activities and services tables and the new record values', async () => {
  const { checkAdapter } = await import(pathToFileURL(path.join(EXTENSION, 'settings.js')).href);
  assert.doesNotThrow(() => checkAdapter(vendorS(true), 'adapters[0]'));
  const bad = vendorS(true);
  bad.services.when = { column: '送达时间' };
  assert.throws(() => checkAdapter(bad, 'adapters[0]'), /adapters\[0\]\.services 有未知的项「when」/);
  const noList = vendorS(true);
  delete noList.activities.list;
  assert.throws(() => checkAdapter(noList, 'adapters[0]'), /adapters\[0\]\.activities 缺少 list/);
  const inRow = vendorS(true);
  inRow.activities.place = { global: 'caseInfo.place' };
  assert.throws(() => checkAdapter(inRow, 'adapters[0]'), /activities\.place\.global 只能用于案件一级的值/);
});

/**
 * VENDOR_S_PAGE with an upload button in each activity's row and a second inspection, A2: the
 * item a file goes to is built from the row it is picked in.
 */
const VENDOR_ROWS_PAGE = VENDOR_S_PAGE
  .replace('<th>地点</th></tr>', '<th>地点</th><th>上传视频</th></tr>')
  .replace('<td>长沙县星沙街道某工地</td></tr>', '<td>长沙县星沙街道某工地</td><td><input type="file" class="av-upload"></td></tr>' +
    '<tr><td>A2</td><td>现场检查</td><td>2026-03-05 09:00</td><td>2026-03-05 10:00</td><td>长沙县星沙街道某工地</td><td><input type="file" class="av-upload"></td></tr>');

function vendorRows(target) {
  return Object.assign(vendorS(true), {
    name: '某厂商平台（逐行上传）',
    files: [{ input: '#acts input.av-upload', rule: '13-inspection-av', row: 'tr', target }],
  });
}

test('a file picked in an activity row goes to that activity\'s item: item keys built from the page', { timeout: 120000 }, async () => {
  const { checkAdapter } = await import(pathToFileURL(path.join(EXTENSION, 'settings.js')).href);
  assert.doesNotThrow(() => checkAdapter(vendorRows('td:first-child'), 'adapters[0]'));
  const refused = (files) => () => checkAdapter(Object.assign(vendorS(true), { files }), 'adapters[0]');
  assert.throws(refused([{ input: 'input', rule: '13-inspection-av' }]), /files\[0\]\.target 必须写明/);
  assert.throws(refused([{ input: 'input', item: '13-inspection-av@A1', rule: '13-inspection-av', target: 'td' }]), /只能选一种写法/);
  assert.throws(refused([{ input: 'input', rule: '13-inspection-av@A1', target: 'td' }]), /rule（规则编号，不含 @/);
  assert.throws(refused([{ input: 'input', rule: '13-inspection-av', row: 'tr', target: { global: 'act.id' } }]), /不能与 row 同用/);

  const { context, page, errors } = await launch({ local: settings({ adapters: [vendorRows('td:first-child')] }) });
  await page.route('**/vendor-s/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_ROWS_PAGE }));
  await page.goto(`${BASE}vendor-s/case.html`);
  const frame = await widgetFrame(page);
  assert.notEqual(await statusOf(frame, '13-inspection-av@A2'), 'satisfied', 'A2 has no footage yet');
  const bytes = Buffer.from('A2 执法记录仪视频（测试）'.repeat(500));
  const digest = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
  const picked = path.join(scratch, 'A2-执法记录仪.mp4');
  fs.writeFileSync(picked, bytes);
  await page.setInputFiles('#acts tbody tr:nth-child(2) input.av-upload', picked);
  const shown = (key) => frame.evaluate(([k, d]) => {
    const li = document.querySelector('#widget').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    return !!li && Array.prototype.some.call(li.querySelectorAll('li.file'), (f) => f.textContent.includes(d));
  }, [key, digest]);
  await frame.waitForFunction(([d]) => {
    const li = document.querySelector('#widget').shadowRoot.querySelector('li.item[data-key="13-inspection-av@A2"]');
    return li && Array.prototype.some.call(li.querySelectorAll('li.file'), (f) => f.textContent.includes(d));
  }, [digest]);
  assert.equal(await shown('13-inspection-av@A1'), false, 'not attached to the other row\'s activity');
  await shot(page, 'vendor-rows-upload');
  assert.deepEqual(errors, []);
  await context.close();

  // A target the row does not hold is named, and the files are not attached anywhere.
  const second = await launch({ local: settings({ adapters: [vendorRows('td.act-id')] }) });
  await second.page.route('**/vendor-s/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_ROWS_PAGE }));
  await second.page.goto(`${BASE}vendor-s/case.html`);
  await widgetFrame(second.page);
  await second.page.setInputFiles('#acts tbody tr:nth-child(2) input.av-upload', picked);
  const notice = panel(second.page).locator('.warn');
  await notice.filter({ hasText: 'files[0].target' }).waitFor();
  const text = await notice.textContent();
  assert.ok(text.includes('（files[0].target）') && text.includes('td.act-id') && text.includes('所选文件没有附加到清单'), text);
  assert.deepEqual(second.errors, []);
  await second.context.close();
});

/** The options page of this extension, its 读取测试 showing a reading (`want`: ok, errors). */
async function readingView(context, id, want) {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.waitForFunction((w) => document.body.dataset.reading === w, want);
  return options;
}

test('读取测试 in the options page shows what the adapter read from the platform page, field by field', { timeout: 120000 }, async () => {
  const { context, page, id, errors } = await launch({ local: settings({ adapters: [vendorB()] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_B_PAGE }));
  await page.goto(`${BASE}vendor-b/case.html`);
  const frame = await widgetFrame(page);
  await statusOf(frame, RECEIPT, 'satisfied');
  const options = await readingView(context, id, 'ok');
  const view = options.locator('#reading');
  const where = await options.locator('#reading-where').textContent();
  assert.ok(where.includes('vendor-b/case.html') && where.includes('某厂商平台（两张表）'), where);
  const cells = await view.locator('td').allTextContents();
  // The case's fields, and each record with its owner, id, kind, time and elements.
  for (const want of ['长住建罚〔2026〕31号', 'ordinary', 'changsha-zfj', 'W1', '立案审批表', '2026-03-02T16:00',
    '送达 S1（行政处罚决定书，direct）', 'H1', '送达回证', '2026-03-20T10:00', '送达文书名称、送达时间和地点、送达人、受送达人或签收人、签收情况']) {
    assert.ok(cells.includes(want), `${want} in ${JSON.stringify(cells)}`);
  }
  assert.ok((await view.textContent()).includes('记录（2 条）'), 'the placeholder row 暂无数据 is no record');
  assert.equal(await view.locator('.errors').count(), 0);
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-options-reading.png'), fullPage: true });

  // The page changes: the view follows (the content script reports each new reading).
  await page.evaluate(() => { document.querySelector('#docs tbody tr td:nth-child(2)').textContent = '立案登记表'; });
  await options.waitForFunction(() => Array.from(document.querySelectorAll('#reading td')).some((td) => td.textContent === '立案登记表'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('读取测试 lists every adapter error with its field, not only the first', { timeout: 120000 }, async () => {
  const adapter = vendorB({ procedure: { selector: '#procCode' }, department: { selector: '#dept', pattern: '^(\\d+)$' } });
  adapter.records[1].kind = { column: '文书种类' };
  const { context, page, id, errors } = await launch({ local: settings({ adapters: [adapter] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8',
    body: VENDOR_B_PAGE.replace('</h1>', '<span id="dept">执法一科</span></h1>') }));
  await page.goto(`${BASE}vendor-b/case.html`);
  // The officer sees the first error; the administrator sees all three, each with its field.
  await panel(page).locator('.status[role="alert"]').waitFor({ timeout: 20000 });
  const options = await readingView(context, id, 'errors');
  const errs = await options.locator('#reading .errors li').allTextContents();
  assert.equal(errs.length, 3, JSON.stringify(errs));
  assert.ok(errs[0].includes('「程序」（procedure）') && errs[0].includes('#procCode') && errs[0].includes('找不到'), errs[0]);
  assert.ok(errs[1].includes('「承办部门」（department）') && errs[1].includes('执法一科') && errs[1].includes('不匹配'), errs[1]);
  assert.ok(errs[2].includes('「记录类型」（records[1].kind）') && errs[2].includes('文书种类') && errs[2].includes('第 2 个记录列表第 1 行'), errs[2]);
  // What could be read is still shown: the case id and the first table's record.
  const cells = await options.locator('#reading td').allTextContents();
  assert.ok(cells.includes('长住建罚〔2026〕31号') && cells.includes('立案审批表'), JSON.stringify(cells));
  assert.ok(!cells.includes('ordinary') && cells.includes('（读取出错，见上）'), 'not the default procedure the case fell back on');
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-options-reading-errors.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('读取测试 offers each open platform tab to choose from, not only the last page read', { timeout: 120000 }, async () => {
  const { context, page, id, errors } = await launch({ local: settings({ adapters: [vendorB(), SAMPLE_ADAPTER] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_B_PAGE }));
  await page.goto(`${BASE}vendor-b/case.html`);
  await statusOf(await widgetFrame(page), RECEIPT, 'satisfied');
  // A second platform tab, read after the first.
  const demo = await context.newPage();
  await demo.goto(`${BASE}platform/?case=missing-receipt`);
  await statusOf(await widgetFrame(demo), RECEIPT, 'missing');
  const options = await readingView(context, id, 'ok');
  await options.waitForFunction(() => document.body.dataset.readings === '2');
  const where = () => options.locator('#reading-where').textContent();
  assert.ok((await where()).includes('/platform/'), 'the page read last is shown first');
  const labels = await options.locator('#reading-tab option').allTextContents();
  assert.equal(labels.length, 2, JSON.stringify(labels));
  assert.ok(labels[1].includes('vendor-b/case.html') && labels[1].includes('某厂商平台（两张表）'), labels[1]);
  // The administrator chooses the other tab: its reading, field by field.
  await options.selectOption('#reading-tab', { index: 1 });
  await options.waitForFunction(() => document.getElementById('reading-where').textContent.includes('vendor-b'));
  const cells = await options.locator('#reading td').allTextContents();
  assert.ok(cells.includes('长住建罚〔2026〕31号') && !cells.includes(CASE_ID), JSON.stringify(cells));
  // The choice holds while the other tab's page changes and is read again.
  await addReceipt(demo);
  await options.waitForTimeout(1500);
  assert.ok((await where()).includes('vendor-b'), 'still the chosen tab');
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-options-reading-tabs.png'), fullPage: true });
  // A tab closed is no longer offered.
  await page.close();
  await options.waitForFunction(() => document.body.dataset.readings === '1', null, { timeout: 10000 });
  assert.ok((await where()).includes('/platform/'));
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Vendor B's page with its receipts behind a tab: the table is rendered only when the tab is
 * clicked, from data that arrives a moment later (as by XHR), and hidden when another tab is.
 */
const VENDOR_TABS_PAGE = VENDOR_B_PAGE
  .replace(/<table id="receipts">[\s\S]*?<\/table>/, `<div role="tablist"><button type="button" id="tab-docs">文书</button>
<button type="button" id="tab-receipts">送达回证</button></div><div id="pane"></div>
<ul id="services"><li>送达 行政处罚决定书 S1</li></ul>`)
  .replace('</body>', `<script>
document.getElementById('tab-receipts').addEventListener('click', function () {
  setTimeout(function () {
    document.getElementById('pane').innerHTML = '<table id="receipts"><thead><tr><th>送达事项</th><th>回证编号</th><th>记载事项</th><th>送达时间</th></tr></thead>' +
      '<tbody><tr><td>送达 行政处罚决定书 S1</td><td>H1</td><td>送达文书名称、送达时间和地点、送达人、受送达人或签收人、签收情况</td><td>2026-03-20 10:00</td></tr></tbody></table>';
  }, 400);
});
document.getElementById('tab-docs').addEventListener('click', function () { document.getElementById('pane').style.display = 'none'; });
</script></body>`);

test('rows a tab loads only when clicked are read when they appear; an optional table is no error before', { timeout: 120000 }, async () => {
  const adapter = vendorB();
  adapter.records[1].list = { selector: '#receipts tbody', optional: true };
  // The services come from a list of their own, so S1 is there before its receipt is.
  adapter.owners = Object.assign({ list: '#services li' }, adapter.owners);
  const { context, page, errors } = await launch({ local: settings({ adapters: [adapter] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: VENDOR_TABS_PAGE }));
  await page.goto(`${BASE}vendor-b/case.html`);
  const frame = await widgetFrame(page);
  assert.equal(await statusOf(frame, '9-filing-form@case', 'satisfied'), 'satisfied');
  assert.equal(await statusOf(frame, RECEIPT), 'missing', 'the receipts tab is not open yet');
  // Past the first seconds' grace: a table not rendered yet is no adapter error.
  await page.waitForTimeout(3500);
  assert.equal(await panel(page).locator('.status[role="alert"]').count(), 0, 'no adapter error before the tab is opened');
  // The officer opens the tab; its rows arrive later, and the page is read again then.
  await page.click('#tab-receipts');
  assert.equal(await statusOf(frame, RECEIPT, 'satisfied'), 'satisfied');
  await shot(page, 'vendor-tabs-loaded');
  // Another tab hides the pane (its rows stay in the page): still read.
  await page.click('#tab-docs');
  await page.waitForTimeout(1000);
  assert.equal(await statusOf(frame, RECEIPT), 'satisfied', 'a hidden pane is still read');
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Vendor B's page under a strict CSP (scripts only with the page's nonce) with the procedure
 * and the filing time only in a page variable, the procedure set a moment later (as by XHR).
 */
const VENDOR_GLOBALS_PAGE = VENDOR_B_PAGE.replace('</body>', `<script nonce="n0nce">
window.caseInfo = { filedAt: new Date(2026, 2, 2, 16, 0).getTime(), meta: [{ dept: '执法一科' }] };
setTimeout(function () { window.caseInfo.procCode = 'JY'; }, 1500);
</script></body>`);

/**
 * VENDOR_GLOBALS_PAGE under a strict nonce CSP, read through an adapter of page variables, in the
 * MV3 build or (`mv2`) the MV2 one: the page, the 读取测试 view, a reader of its values by row
 * name, and every CSP refusal the console reported.
 */
async function globalsPage(mv2) {
  const adapter = vendorB({
    procedure: { global: 'caseInfo.procCode', map: { JY: 'simple', PT: 'ordinary' }, optional: true },
    department: { global: 'caseInfo.meta[0].dept' },
    facts: { filed: { global: 'caseInfo.filedAt' } },
  });
  const { context, page, id, errors } = await launch({ mv2, local: settings({ adapters: [adapter] }) });
  await page.route('**/vendor-b/**', (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': "script-src 'nonce-n0nce'; object-src 'none'" },
    body: VENDOR_GLOBALS_PAGE,
  }));
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) { csp.push(m.text()); } });
  await page.goto(`${BASE}vendor-b/case.html`);
  await widgetFrame(page);
  const options = await readingView(context, id, 'ok');
  const value = (name) => options.evaluate((n) => {
    const row = Array.from(document.querySelectorAll('#reading tr')).find((tr) => tr.cells[0] && tr.cells[0].textContent === n);
    return row ? row.cells[2].textContent : null;
  }, name);
  return { context, page, errors, csp, options, value };
}

test('values only in page JavaScript variables are read, under a strict CSP, and followed when they change', { timeout: 120000 }, async () => {
  const { context, page, errors, csp, options, value } = await globalsPage(false);
  await options.waitForFunction(() => Array.from(document.querySelectorAll('#reading td')).some((td) => td.textContent === 'simple'));
  assert.equal(await value('程序'), 'simple', 'procCode JY, set after load, mapped');
  assert.equal(await value('承办部门'), '执法一科', 'a path with an index');
  assert.equal(await value('案件时间 filed'), '2026-03-02T16:00', 'milliseconds since 1970 read as a time');
  // The page script left no script element behind, and the page's CSP refused nothing of ours.
  assert.equal(await page.locator('script[src*="page-globals"]').count(), 0);
  assert.deepEqual(csp, []);
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-options-reading-globals.png'), fullPage: true });

  // A variable the page does not have is named, with its path.
  await page.evaluate(() => { delete window.caseInfo.meta; });
  await options.waitForFunction(() => document.body.dataset.reading === 'errors');
  const errs = await options.locator('#reading .errors li').allTextContents();
  assert.ok(errs.length === 1 && errs[0].includes('「承办部门」（department）') && errs[0].includes('页面变量 caseInfo.meta[0].dept'), JSON.stringify(errs));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the settings checker refuses a page variable path written wrong, or one in a records row', async () => {
  const { checkAdapter } = await import(pathToFileURL(path.join(EXTENSION, 'settings.js')).href);
  const bad = vendorB({ procedure: { global: 'caseInfo..procCode' } });
  assert.throws(() => checkAdapter(bad, 'adapters[0]'), /adapters\[0\]\.procedure\.global 必须是页面变量的路径/);
  assert.throws(() => checkAdapter(vendorB({ procedure: { global: 'alert(1)' } }), 'adapters[0]'), /procedure\.global/);
  const inRow = vendorB();
  inRow.records[0].made_at = { global: 'caseInfo.filedAt' };
  assert.throws(() => checkAdapter(inRow, 'adapters[0]'), /records\[0\]\.made_at\.global 只能用于案件一级的值/);
  assert.doesNotThrow(() => checkAdapter(vendorB({ procedure: { global: 'caseInfo.list[0].procCode', optional: true } }), 'adapters[0]'));
});

test('the settings checker refuses a records table or column written wrong, naming it', async () => {
  const { checkAdapter } = await import(pathToFileURL(path.join(EXTENSION, 'settings.js')).href);
  assert.doesNotThrow(() => checkAdapter(vendorB(), 'adapters[0]'));
  const bad = vendorB();
  bad.records[1].id = { column: '' };
  assert.throws(() => checkAdapter(bad, 'adapters[0]'), /adapters\[0\]\.records\[1\]\.id\.column 必须是表头文字/);
  assert.throws(() => checkAdapter(vendorB({ records: [] }), 'adapters[0]'), /至少要有一个记录表格/);
  const extra = vendorB();
  extra.records[0].columns = {};
  assert.throws(() => checkAdapter(extra, 'adapters[0]'), /records\[0\] 有未知的项「columns」/);
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

// ---- Never swallowing a submit ----

/** The platform's submit is held and the (new) widget's dialog says it cannot go: no navigation. */
async function heldAndBlocked(page, click) {
  const url = page.url();
  await page.click(click || '#submit-case');
  const frame = await widgetFrame(page);
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /不能提交/);
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null, "the platform's handler did not run");
  assert.equal(page.url(), url, 'no navigation');
  return { frame, dialog };
}

/** How many widget frames the page has (a removed one is no longer counted). */
const widgetFrames = (page) => page.frames().filter(isWidgetFrame).length;

test('a page script removes the widget: it is put back at once, and the next submit is held and decided', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch();
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  await statusOf(frame, RECEIPT, 'missing');
  // Removed, then the officer clicks at once (before the checklist is back).
  await page.evaluate(() => document.getElementById('law-record-checklist-extension').remove());
  await page.click('#submit-case');
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null, 'not let through while the checklist is away');
  assert.ok(page.url().includes('/platform/'), 'no navigation while the checklist is away');
  // Back in the side panel, one frame, deciding the held submit.
  const again = await widgetFrame(page);
  await again.locator('#widget').getByRole('dialog').waitFor();
  assert.match(await again.locator('#widget').getByRole('dialog').textContent(), /不能提交/);
  assert.equal(await page.locator('#side-panel #law-record-checklist-extension').count(), 1);
  assert.equal(widgetFrames(page), 1);
  await shot(page, 'removed-host-remounted');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a single-page app re-renders the widget\'s container: the widget is mounted in the new one', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch();
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  await widgetFrame(page);
  await page.evaluate(() => {
    // As a framework re-renders a component: a new element with the same id, our host gone.
    const old = document.getElementById('side-panel');
    const fresh = document.createElement('aside');
    fresh.className = old.className;
    fresh.id = 'side-panel';
    fresh.innerHTML = '<h2>办案助手</h2><label class="av-pick">执法记录仪视频<input type="file" id="av-file" multiple></label>';
    old.replaceWith(fresh);
  });
  await page.waitForFunction(() => !!document.querySelector('#side-panel #law-record-checklist-extension'));
  const { frame } = await heldAndBlocked(page);
  assert.equal(await statusOf(frame, RECEIPT), 'missing', 'the new widget reads the case');
  assert.equal(widgetFrames(page), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Settings whose agency config asks a reason for an unchecked submit, within `seconds`. */
const uncheckedIn = (seconds, extra) => settings(Object.assign({ agencyConfig: { unchecked: 'ask-reason', load_timeout_seconds: seconds } }, extra || {}));

test('the widget cannot come back: the held submit gets the agency\'s unchecked policy, not silence', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch({ local: uncheckedIn(2) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  await widgetFrame(page);
  // The whole side panel goes, for good: nowhere to put the checklist back.
  await page.evaluate(() => document.getElementById('side-panel').remove());
  const t0 = Date.now();
  await page.click('#submit-case');
  const guard = page.locator('[data-law-record-checklist-guard]');
  await guard.getByRole('dialog').waitFor({ timeout: 8000 });
  assert.ok(Date.now() - t0 < 8000, 'the policy applies within the load timeout');
  assert.match(await guard.getByRole('dialog').textContent(), /记录清单无法检查本案[\s\S]*记录清单被平台页面移除，未能在 2 秒内重新显示/);
  await shot(page, 'removed-for-good-unchecked');
  await guard.getByLabel('未经检查仍要提交的理由').fill('清单面板被平台页面移除，已报告信息科');
  await Promise.all([page.waitForURL(/submitted\.html/), guard.getByRole('button', { name: '填写理由并提交' }).click()]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a widget that stops answering: the held submit gets the unchecked policy after a few seconds', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch({ local: uncheckedIn(2) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  await widgetFrame(page);
  // The frame stays in the page but its document is gone: nothing answers the content script.
  await page.evaluate(() => { document.querySelector('#law-record-checklist-extension').shadowRoot.querySelector('iframe').src = 'about:blank'; });
  await page.waitForTimeout(500);
  await page.click('#submit-case');
  const guard = page.locator('[data-law-record-checklist-guard]');
  await guard.getByRole('dialog').waitFor({ timeout: 10000 });
  assert.match(await guard.getByRole('dialog').textContent(), /没有响应/);
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a single-page app route change chooses the adapter again', { timeout: 120000 }, async () => {
  const routed = Object.assign({}, SAMPLE_ADAPTER, { name: '案件详情路由', pages: ['*/platform/*#/case/*'] });
  const { context, page, errors } = await launch({ local: settings({ adapters: [routed] }) });
  await page.goto(`${BASE}platform/?case=missing-receipt#/list`);
  await page.waitForFunction(() => window.platformReady !== undefined);
  await page.waitForTimeout(1500);
  assert.equal(await panel(page).count(), 0, 'no adapter for the list route');
  // The app routes to a case with history.pushState (no event reaches the extension, no DOM
  // change): the adapter applies, the widget appears and guards the submit.
  await page.evaluate(() => { history.pushState({}, '', location.pathname + location.search + '#/case/15'); });
  const frame = await widgetFrame(page);
  assert.ok((await status(page).textContent()).includes('案件详情路由'));
  await heldAndBlocked(page);
  await frame.locator('#widget').getByRole('button', { name: '返回补充' }).click();
  // Back to the list: the widget goes and the page's submit is no longer held.
  await page.evaluate(() => { location.hash = '#/list'; });
  await page.waitForFunction(() => !document.getElementById('law-record-checklist-extension'));
  await Promise.all([page.waitForURL(/submitted\.html/), page.click('#submit-case')]);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Records, from the start, any moment the panel showed an error (`data-state="error"`). */
const watchErrors = (context) => context.addInitScript(() => {
  window.__panelErrors = [];
  new MutationObserver(() => {
    const h = document.getElementById('law-record-checklist-extension');
    if (h && h.getAttribute('data-state') === 'error') { window.__panelErrors.push(Date.now()); }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
});

test('a mount point that renders late is waited for, and a submit meanwhile is held', { timeout: 120000 }, async () => {
  const late = Object.assign({}, SAMPLE_ADAPTER, { mount: { selector: '#late-mount', position: 'append' } });
  const { context, page, errors } = await launch({ local: settings({ adapters: [late] }) });
  await watchErrors(context);
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  await page.waitForFunction(() => window.platformReady !== undefined);
  await page.waitForTimeout(1000);
  assert.equal(await panel(page).count(), 0, 'nowhere to mount yet, no floating error either');
  // The officer submits before the platform has rendered the panel: held.
  await page.click('#submit-case');
  await page.waitForTimeout(300);
  assert.ok(page.url().includes('/platform/'), 'held');
  await page.evaluate(() => {
    const d = document.createElement('div');
    d.id = 'late-mount';
    document.getElementById('side-panel').appendChild(d);
  });
  const frame = await widgetFrame(page);
  assert.equal(await page.locator('#late-mount #law-record-checklist-extension').count(), 1);
  await frame.locator('#widget').getByRole('dialog').waitFor();
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null);
  assert.deepEqual(await page.evaluate(() => window.__panelErrors), [], 'no error while waiting');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a mount point that never comes: after the wait, a floating panel names it', { timeout: 120000 }, async () => {
  const never = Object.assign({}, SAMPLE_ADAPTER, { name: '无挂载点', mount: { selector: '#never-there' } });
  const { context, page } = await launch({ local: settings({ adapters: [never] }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const alert = panel(page).locator('.status[role="alert"]');
  await alert.waitFor({ timeout: 20000 });
  const text = await alert.textContent();
  assert.ok(text.includes('无挂载点') && text.includes('挂载位置') && text.includes('#never-there') && text.includes('已等待'), text);
  assert.equal(await panel(page).evaluate((h) => getComputedStyle(h).position), 'fixed');
  await shot(page, 'mount-never');
  await context.close();
});

test('a case that arrives by XHR after a moment shows no error meanwhile', { timeout: 120000 }, async () => {
  // The case id is rendered 1.5 s after the page: until then the adapter cannot read it.
  const xhr = Object.assign({}, SAMPLE_ADAPTER, { case_id: { selector: '#case-id-late' } });
  const { context, page, errors } = await launch({ local: settings({ adapters: [xhr] }) });
  await watchErrors(context);
  await context.addInitScript(() => {
    // The platform page only (init scripts run in every frame).
    if (!location.pathname.includes('/platform/')) { return; }
    document.addEventListener('DOMContentLoaded', () => setTimeout(() => {
      const dd = document.createElement('dd');
      dd.id = 'case-id-late';
      dd.textContent = '长住建罚〔2026〕15号';
      document.querySelector('.case-head dl').appendChild(dd);
    }, 1500));
  });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  await statusOf(frame, RECEIPT, 'missing');
  assert.deepEqual(await page.evaluate(() => window.__panelErrors), [], 'no red error while the case loaded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('two submit targets in one selector are both guarded', { timeout: 120000 }, async () => {
  const two = Object.assign({}, SAMPLE_ADAPTER, { submit: { selector: '#case-form, #btnSubmitAudit' } });
  const { context, page, errors } = await launch({ local: settings({ adapters: [two] }) });
  await context.addInitScript(() => {
    if (!location.pathname.includes('/platform/')) { return; }
    document.addEventListener('DOMContentLoaded', () => {
      // A second submit of the platform outside the form: 提交审核 by script.
      const b = document.createElement('button');
      b.type = 'button';
      b.id = 'btnSubmitAudit';
      b.textContent = '送审';
      b.addEventListener('click', () => { document.body.setAttribute('data-audit-sent', '1'); });
      document.querySelector('.case').appendChild(b);
    });
  });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  await statusOf(frame, RECEIPT, 'missing');
  const { dialog } = await heldAndBlocked(page, '#btnSubmitAudit');
  assert.equal(await page.getAttribute('body', 'data-audit-sent'), null, 'the second target was held');
  await dialog.getByRole('button', { name: '返回补充' }).click();
  await dialog.waitFor({ state: 'detached' });
  await heldAndBlocked(page, '#submit-case');
  assert.deepEqual(errors, []);
  await context.close();
});

test('another port of the configured host gets no content script, no frame answer, no log entry', { timeout: 120000 }, async () => {
  const http = await import('node:http');
  const base = new URL(BASE);
  // The same platform served on another port of 127.0.0.1.
  const other = http.createServer((req, res) => {
    fetch(new URL(req.url, BASE)).then(async (r) => {
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') || 'text/plain' });
      res.end(Buffer.from(await r.arrayBuffer()));
    }, () => { res.writeHead(502); res.end(); });
  });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  const otherBase = `http://127.0.0.1:${other.address().port}/`;
  try {
    const { context, page, id, sw } = await launch({ local: settings({ hosts: [`http://127.0.0.1:${base.port}/*`] }) });
    await page.goto(`${otherBase}platform/?case=missing-receipt`);
    await page.waitForFunction(() => window.platformReady !== undefined);
    await page.waitForTimeout(1500);
    assert.equal(await panel(page).count(), 0, 'no content script on another port');
    const replies = await page.evaluate((src) => new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.src = src;
      const got = [];
      f.onload = () => {
        for (const secret of [undefined, 'x']) {
          const ch = new MessageChannel();
          ch.port1.onmessage = (e) => got.push(e.data);
          f.contentWindow.postMessage({ type: 'lrc-connect', secret }, '*', [ch.port2]);
          ch.port1.postMessage({ type: 'attempt' });
        }
        setTimeout(() => resolve(got), 2500);
      };
      document.body.appendChild(f);
    }), `chrome-extension://${id}/frame.html`);
    assert.deepEqual(replies, []);
    // The configured port works, and only its case has a log.
    const mine = await context.newPage();
    await mine.goto(`${BASE}platform/?case=missing-receipt`);
    await widgetFrame(mine);
    const stored = await sw.evaluate(() => chrome.storage.local.get(null));
    assert.ok(!JSON.stringify(stored).includes(`127.0.0.1:${other.address().port}`), 'nothing from the other port is stored');
    await context.close();
  } finally {
    other.close();
  }
});

// ---- The Manifest V2 build (Chromium 83–102), here in Debian's Chromium with MV2 turned back on ----

test('MV2 build: manifest for Chromium 83, wasm allowed by the extension CSP, the same files', () => {
  const m = JSON.parse(fs.readFileSync(path.join(EXTENSION_MV2, 'manifest.json'), 'utf8'));
  assert.equal(m.manifest_version, 2);
  assert.equal(m.minimum_chrome_version, '83');
  assert.match(m.content_security_policy, /script-src 'self' 'wasm-eval'/);
  assert.ok(!m.content_security_policy.includes('unsafe-eval'), 'no JavaScript eval');
  assert.deepEqual(m.web_accessible_resources, ['frame.html', 'page-globals.js']);
  for (const f of ['content.js', 'page-globals.js', 'frame.js', 'settings.js', `widget/${widgetWasm(EXTENSION)}`]) {
    assert.ok(fs.readFileSync(path.join(EXTENSION_MV2, f)).equals(fs.readFileSync(path.join(EXTENSION, f))), `${f} is the MV3 build's`);
  }
});

test('MV2 build: on the strict-CSP platform the widget appears, reads the case and blocks a submit', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch({ mv2: true });
  await page.goto(`${BASE}platform-csp/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  // The wasm widget runs in the extension page under the MV2 CSP ('wasm-eval').
  const header = await frame.evaluate(() => document.querySelector('#widget').shadowRoot.querySelector('.hd .meta').textContent);
  assert.ok(header.includes(CASE_ID), header);
  assert.equal(await statusOf(frame, RECEIPT), 'missing');
  const { dialog } = await heldAndBlocked(page);
  await shot(page, 'mv2-blocked');
  // The checklist record leaves this build as a file too, a record the CLI accepts.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  const [download] = await Promise.all([page.waitForEvent('download'), frame.click('#record-export')]);
  const file = path.join(scratch, `mv2-${download.suggestedFilename()}`);
  await download.saveAs(file);
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).case_id, CASE_ID);
  const cli = spawnSync(RULES, ['record', 'check', file], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.deepEqual(errors, []);
  await context.close();
});

test('MV2 build: warnings pass with a reason, kept in the extension; pages outside the hosts are left alone', { timeout: 120000 }, async () => {
  const lower = (reason) => ({ severity: 'warning', reason });
  const agencyConfig = { rules: {
    '9-filing-form': lower('试行'), '13-inspection-record': lower('试行'), '13-inspection-av': lower('试行'), '29-direct-receipt': lower('试行'),
  } };
  const { context, page, errors, sw } = await launch({ mv2: true, local: settings({ agencyConfig }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  assert.ok((await status(page).textContent()).includes('本机设置'));
  await page.click('#submit-case');
  const dialog = frame.locator('#widget').getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('仍要提交的理由').fill('回证已寄出，待退回后补入');
  await Promise.all([page.waitForURL(/submitted\.html/), dialog.getByRole('button', { name: '填写理由并提交' }).click()]);
  const kept = await sw.evaluate(() => new Promise((r) => chrome.storage.local.get(null, r)));
  assert.ok(Object.keys(kept).some((k) => k.startsWith('log:') && kept[k].includes('回证已寄出')), 'the case log is in the extension');
  // localhost is not in these settings' hosts: the content script stops, the form submits.
  await page.goto(`${BASE.replace('127.0.0.1', 'localhost')}platform/?case=missing-receipt`);
  await page.waitForFunction(() => window.platformReady !== undefined);
  await page.waitForTimeout(1000);
  assert.equal(await panel(page).count(), 0);
  await Promise.all([page.waitForURL(/submitted\.html/), page.click('#submit-case')]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('MV2 build: values only in page JavaScript variables are read under a strict CSP', { timeout: 120000 }, async () => {
  const { context, page, errors, csp, options, value } = await globalsPage(true);
  // The background page (MV2) keeps the reading; the page variable set after load is followed.
  await options.waitForFunction(() => Array.from(document.querySelectorAll('#reading td')).some((td) => td.textContent === 'simple'));
  assert.equal(await value('程序'), 'simple');
  assert.equal(await value('承办部门'), '执法一科');
  assert.equal(await value('案件时间 filed'), '2026-03-02T16:00');
  assert.equal(await page.locator('script[src*="page-globals"]').count(), 0);
  assert.deepEqual(csp, [], "the page's CSP refused nothing of the extension's");
  await page.evaluate(() => { delete window.caseInfo.meta; });
  await options.waitForFunction(() => document.body.dataset.reading === 'errors');
  const errs = await options.locator('#reading .errors li').allTextContents();
  assert.ok(errs.length === 1 && errs[0].includes('页面变量 caseInfo.meta[0].dept'), JSON.stringify(errs));
  await options.screenshot({ path: path.join(ARTIFACTS, 'extension-mv2-options-reading-globals.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- Adapters: errors that name their field, pages as real platforms show them ----

test('adapter errors: a pattern that never matches is named; missing submit and file targets are named on load', { timeout: 120000 }, async () => {
  const bad = Object.assign({}, SAMPLE_ADAPTER, { name: '正则不符', case_id: { selector: '#case-id', pattern: '^XX(\\d+)$' } });
  const { context, page } = await launch({ local: settings({ adapters: [bad] }) });
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const alert = panel(page).locator('.status[role="alert"]');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.ok(text.includes('正则不符') && text.includes('案号') && text.includes('case_id') && text.includes('^XX(\\d+)$') && text.includes('不匹配'), text);
  await context.close();

  const partial = Object.assign({}, SAMPLE_ADAPTER, { name: '缺目标', submit: { selector: '#no-submit-here' }, files: [{ input: '#no-file-input', item: '13-inspection-av@A1' }] });
  const second = await launch({ local: settings({ adapters: [partial] }) });
  await second.page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(second.page);
  await statusOf(frame, RECEIPT, 'missing');
  const warn = panel(second.page).locator('.warn[role="alert"]');
  await warn.waitFor();
  const w = await warn.textContent();
  assert.ok(w.includes('缺目标') && w.includes('提交按钮') && w.includes('#no-submit-here') && w.includes('提交不受检查'), w);
  assert.ok(w.includes('文件输入框') && w.includes('#no-file-input'), w);
  await shot(second.page, 'adapter-missing-targets');
  await second.context.close();
});

test('a placeholder row such as 暂无数据 in an emptied table is no record and no error', { timeout: 120000 }, async () => {
  const { context, page, errors } = await launch();
  await page.goto(`${BASE}platform/?case=missing-receipt`);
  const frame = await widgetFrame(page);
  assert.notEqual(await statusOf(frame, '13-inspection-record@A1'), 'missing');
  // The platform empties the table and shows its placeholder row, as when a tab reloads.
  await page.evaluate(() => { document.getElementById('records-body').innerHTML = '<tr><td colspan="4">暂无数据</td></tr>'; });
  await statusOf(frame, '13-inspection-record@A1', 'missing');
  await page.waitForTimeout(3500);
  assert.equal(await panel(page).locator('.status[role="alert"]').count(), 0, 'no adapter error');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the options page refuses unknown keys, bad selectors and patterns, unknown packs and rules', { timeout: 120000 }, async () => {
  const { context, id } = await launch();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.waitForFunction(() => document.body.dataset.source === 'sample');
  const refused = async (doc, ...want) => {
    await options.fill('#settings', JSON.stringify(doc));
    await options.evaluate(() => { document.getElementById('message').textContent = ''; });
    await options.click('#save');
    await options.waitForFunction(() => /^未保存/.test(document.getElementById('message').textContent), null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`${e.message}: ${want.join(' ')}: message ${await options.locator('#message').textContent()}`); });
    const m = await options.locator('#message').textContent();
    for (const w of want) { assert.ok(m.includes(w), `${w} in: ${m}`); }
  };
  await refused(Object.assign(settings(), { hostz: ['http://x/*'] }), 'hostz', '未知');
  await refused(settings({ adapters: [Object.assign({}, SAMPLE_ADAPTER, { case_id: '#case-id[' })] }), 'adapters[0].case_id', '写法有误');
  await refused(settings({ adapters: [Object.assign({}, SAMPLE_ADAPTER, { owners: Object.assign({}, SAMPLE_ADAPTER.owners, { activity: '(?<id>A\\d+' }) })] }), 'adapters[0].owners.activity', '正则');
  await refused(settings({ adapters: [Object.assign({}, SAMPLE_ADAPTER, { submitt: '#x' })] }), 'adapters[0]', 'submitt');
  await refused(settings({ agency: 'no-such-pack' }), 'no-such-pack', '不存在');
  await refused(settings({ agencyConfig: { rules: { '99-no-such-rule': { severity: 'warning', reason: '试行' } } } }), '99-no-such-rule');
  await shot(options, 'options-refused');
  assert.equal(await options.evaluate(() => new Promise((r) => chrome.storage.local.get('settings', r))).then((x) => x.settings), undefined, 'nothing saved');
  // A good document still saves.
  await options.fill('#settings', JSON.stringify(settings({ officer: '李四' })));
  await options.click('#save');
  await options.waitForFunction(() => document.body.dataset.source === 'local');
  await context.close();
});

test('policy of the wrong type is dropped by Chromium: the options page says what arrived and what did not', { timeout: 120000 }, async () => {
  // `adapters` as a JSON array, not JSON text: managed_schema.json declares a string.
  const managed = { hosts: ['http://127.0.0.1/*'], agency: 'changsha-zfj', adapters: [SAMPLE_ADAPTER] };
  const { context, id } = await launch({ managed, unregistered: true });
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.waitForFunction(() => document.body.dataset.source === 'managed');
  assert.equal(await options.evaluate(() => document.body.dataset.policyKeys.split(',').sort().join(',')), 'agency,hosts');
  assert.ok((await options.evaluate(() => document.body.dataset.policyMissing)).split(',').includes('adapters'));
  const text = await options.locator('#policy').textContent();
  assert.ok(text.includes('未收到的项') && text.includes('adapters') && text.includes('JSON 文本'), text);
  await shot(options, 'options-policy-dropped');
  await context.close();
});

test('the adapter JSON Schema and the settings checker know the same keys', async () => {
  const schema = JSON.parse(fs.readFileSync(path.resolve('../../pkg/extension/adapter.schema.json'), 'utf8'));
  const src = fs.readFileSync(path.join(EXTENSION, 'settings.js'), 'utf8');
  const keys = (name) => JSON.parse(new RegExp(`${name}: (\\[[^\\]]*\\])`).exec(src)[1].replace(/'/g, '"'));
  const props = (o) => Object.keys(o.properties).sort();
  assert.deepEqual(keys('adapter').sort(), props(schema));
  assert.deepEqual(keys('records').sort(), props(schema.$defs.records));
  assert.deepEqual(keys('activities').sort(), props(schema.$defs.activities));
  assert.deepEqual(keys('services').sort(), props(schema.$defs.services));
  assert.deepEqual(keys('owners').sort(), props(schema.properties.owners));
  assert.deepEqual(keys('mount').sort(), props(schema.properties.mount.oneOf[1]));
  assert.deepEqual(keys('file').sort(), props(schema.properties.files.items));
  assert.deepEqual(keys('value').sort(), props(schema.$defs.value.oneOf[1]));
  assert.ok(fs.existsSync(path.join(EXTENSION, 'adapter.schema.json')), 'shipped with the extension');
});

// ---- The deployment kit ----

const DEPLOY = path.resolve(EXTENSION, '../deploy');

/** The fields of a protobuf message: [number, bytes] for length-delimited ones. */
function protoFields(buf) {
  const out = [];
  let i = 0;
  const varint = () => { let n = 0; let shift = 0; for (;;) { const b = buf[i++]; n += (b & 0x7f) * 2 ** shift; shift += 7; if (b < 0x80) { return n; } } };
  while (i < buf.length) {
    const tag = varint();
    assert.equal(tag & 7, 2, 'only length-delimited fields');
    const len = varint();
    out.push([Math.floor(tag / 8), buf.subarray(i, i + len)]);
    i += len;
  }
  return out;
}

/** A CRX3 file's public key, signature, signed data, crx id and zip. */
function readCrx(file) {
  const crx = fs.readFileSync(file);
  assert.equal(crx.subarray(0, 4).toString(), 'Cr24');
  assert.equal(crx.readUInt32LE(4), 3, 'CRX3');
  const len = crx.readUInt32LE(8);
  const header = protoFields(crx.subarray(12, 12 + len));
  const proof = protoFields(header.find(([n]) => n === 2)[1]);
  const signedData = header.find(([n]) => n === 10000)[1];
  return {
    publicKey: proof.find(([n]) => n === 1)[1],
    signature: proof.find(([n]) => n === 2)[1],
    signedData,
    crxId: protoFields(signedData).find(([n]) => n === 1)[1],
    zip: crx.subarray(12 + len),
  };
}

const idOf = (publicKey) => Array.from(crypto.createHash('sha256').update(publicKey).digest('hex').slice(0, 32), (c) => String.fromCharCode(97 + parseInt(c, 16))).join('');

test('deployment kit: both CRX files are signed with one key, and Chromium derives the same id', { timeout: 120000 }, async () => {
  const id = fs.readFileSync(path.join(DEPLOY, 'extension-id.txt'), 'utf8').split('\n')[0];
  assert.match(id, /^[a-p]{32}$/);
  for (const [crxName, update, min] of [['law-record-checklist.crx', 'update.xml', '103'], ['law-record-checklist-mv2.crx', 'update-mv2.xml', '83']]) {
    const c = readCrx(path.join(DEPLOY, crxName));
    const signed = Buffer.concat([Buffer.from('CRX3 SignedData\0'), Buffer.alloc(4), c.signedData, c.zip]);
    signed.writeUInt32LE(c.signedData.length, 16);
    const key = crypto.createPublicKey({ key: c.publicKey, format: 'der', type: 'spki' });
    assert.ok(crypto.verify('sha256', signed, key, c.signature), `${crxName}: the signature verifies`);
    // A changed byte of the zip does not.
    const tampered = Buffer.from(signed);
    tampered[tampered.length - 100] ^= 1;
    assert.ok(!crypto.verify('sha256', tampered, key, c.signature), `${crxName}: a tampered zip fails`);
    assert.equal(idOf(c.publicKey), id, `${crxName}: the id of its key`);
    assert.equal(Buffer.from(c.crxId).toString('hex'), crypto.createHash('sha256').update(c.publicKey).digest('hex').slice(0, 32));
    // The manifest inside names the update manifest; the update manifest names the CRX.
    assert.ok(c.zip.includes(Buffer.from(`/${update}"`)), `${crxName}: update_url`);
    const xml = fs.readFileSync(path.join(DEPLOY, update), 'utf8');
    assert.ok(xml.includes(`appid='${id}'`) && xml.includes(`${crxName}'`) && xml.includes(`prodversionmin='${min}'`), xml);
  }
  // Chromium's own packer, given the same key, writes the same public key: the same id.
  const keyFile = process.env.LRC_EXTENSION_KEY || path.resolve('../../target/extension-dev-key.pem');
  const dir = fs.mkdtempSync(path.join(scratch, 'pack-'));
  fs.cpSync(EXTENSION, path.join(dir, 'ext'), { recursive: true });
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--headless', '--no-sandbox', `--pack-extension=${path.join(dir, 'ext')}`,
    `--pack-extension-key=${keyFile}`, '--no-message-box', `--user-data-dir=${path.join(dir, 'profile')}`], { stdio: 'ignore', timeout: 60000 });
  assert.equal(idOf(readCrx(path.join(dir, 'ext.crx')).publicKey), id, "Chromium's CRX has the same id");
});

test('deployment kit: sample policies force-install by id and carry the settings as policy types', () => {
  const id = fs.readFileSync(path.join(DEPLOY, 'extension-id.txt'), 'utf8').split('\n')[0];
  const linux = JSON.parse(fs.readFileSync(path.join(DEPLOY, 'policies/chromium-linux.json'), 'utf8'));
  assert.match(linux.ExtensionInstallForcelist[0], new RegExp(`^${id};https?://.+/update\\.xml$`));
  assert.deepEqual(linux.ExtensionSettings[id].runtime_blocked_hosts, ['*://*']);
  const managed = linux['3rdparty'].extensions[id];
  // As managed_schema.json declares: adapters and agencyConfig JSON text, hosts a list.
  const schema = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'managed_schema.json'), 'utf8'));
  for (const [k, v] of Object.entries(managed)) {
    assert.equal(Array.isArray(v) ? 'array' : typeof v, schema.properties[k].type, k);
  }
  assert.equal(JSON.parse(managed.adapters)[0].name, SAMPLE_ADAPTER.name);
  const mv2 = JSON.parse(fs.readFileSync(path.join(DEPLOY, 'policies/chromium-linux-mv2.json'), 'utf8'));
  assert.match(mv2.ExtensionInstallForcelist[0], /update-mv2\.xml$/);
  const reg = fs.readFileSync(path.join(DEPLOY, 'policies/chrome-windows.reg'));
  assert.deepEqual([...reg.subarray(0, 2)], [0xff, 0xfe], 'UTF-16LE with a byte-order mark, as regedit reads Chinese');
  const text = reg.subarray(2).toString('utf16le');
  assert.ok(text.startsWith('Windows Registry Editor Version 5.00\r\n'));
  assert.ok(text.includes(`3rdparty\\extensions\\${id}\\policy]`) && text.includes(`"1"="${id};`), text.slice(0, 400));
  assert.ok(text.includes('湖南省行政执法综合管理平台'), 'the adapter text, Chinese intact');
});
