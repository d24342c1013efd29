// The 核查表 in a real browser: tick an item, open the print view, print it to PDF through
// Chromium, and read the PDF's text back with pdftotext (poppler-utils, installed by
// `cargo xtask test`). In Debian's Chromium and in Chromium 83 (see browsers.mjs). Run by
// `cargo xtask test` (which serves pkg/ and sets BASE_URL, BROWSER, CHROMIUM, ARTIFACTS).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { launchBrowser, newContext, waitForDownload, shot, acknowledge, retract, PAPER_NOTE, BASE, ARTIFACTS, resetPlatform } from './browsers.mjs';

const RECEIPT = '29-direct-receipt@S1';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });
// The demo platform stores each case's checklist record: every test starts from none.
beforeEach(resetPlatform);

const squeeze = (s) => s.replace(/\s+/g, '');
// The `rules` CLI, built by `cargo xtask test` (the same chain code as the widget).
const RULES = process.env.RULES_BIN || path.resolve('../../target/debug/rules');

async function pdfText(context, html, name) {
  const printPage = await context.newPage();
  await printPage.setContent(html, { waitUntil: 'load' });
  await printPage.emulateMedia({ media: 'print' });
  const pdfPath = path.join(ARTIFACTS, name);
  await printPage.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await printPage.close();
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
}

// The widget's log as IndexedDB holds it (one record per entry, see the loader, law-record-checklist.js).
const LOG_DB = 'law-record-checklist-log';
const logKey = (caseId) => `law-record-checklist:v1:${caseId}#log`;
const idbEntries = (page, key) => page.evaluate(([db, k]) => new Promise((resolve, reject) => {
  const open = indexedDB.open(db);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const q = open.result.transaction('entries').objectStore('entries').getAll(IDBKeyRange.bound([k, 0], [k, Infinity]));
    q.onsuccess = () => { open.result.close(); resolve(q.result.map((r) => r.entry)); };
    q.onerror = () => reject(q.error);
  };
}), [LOG_DB, key]);
const exportLog = async (page) => {
  const t = await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog());
  return t === undefined ? undefined : JSON.parse(t);
};
// Opening a case logs nothing by itself (what it would log waits for the officer's first action
// or the platform's checklist record): a blocked submit attempt is such an action.
async function attemptSubmit(page) {
  await page.evaluate(() => document.querySelector('#submit-case').click());
  const dialog = page.locator('law-record-checklist').getByRole('dialog');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
}
// Waits until the stored log is read (exportLog answers) and IndexedDB holds `n` or more entries.
// A fresh browser context on the demo's missing-receipt case, the widget loaded, and the
// storage key of that case's log.
async function openMissingReceipt() {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const caseId = await page.evaluate(() => document.querySelector('law-record-checklist').widget.caseId());
  return { context, page, w, key: logKey(caseId) };
}

async function stored(page, key, n) {
  await page.waitForFunction(() => {
    const w = document.querySelector('law-record-checklist').widget;
    return w && w.exportLog() !== undefined;
  });
  for (let i = 0; i < 200; i++) {
    const [log, idb] = [await exportLog(page), await idbEntries(page, key)];
    if (idb.length >= Math.max(n, log.entries.length)) { return { log, idb }; }
    await page.waitForTimeout(25);
  }
  assert.fail(`IndexedDB never held the log of ${key}`);
}
const verifyCli = (dir, text, ...extra) => {
  const file = path.join(dir, `log-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, text);
  return spawnSync(RULES, ['log', 'verify', file, ...extra], { encoding: 'utf8' });
};

const shadow = (page, sel) => page.waitForFunction((s) => document.querySelector('law-record-checklist').shadowRoot.querySelector(s), sel);

test('the print view prints to a PDF holding the digests, citations and ticks', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const row = w.locator(`li.item[data-key="${RECEIPT}"]`);
  await acknowledge(row);
  await page.waitForFunction((key) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${key}"]`).dataset.status === 'acknowledged', RECEIPT);

  await w.getByRole('button', { name: '核查表' }).click();
  const dialog = w.getByRole('dialog');
  await dialog.waitFor();
  const frame = dialog.locator('iframe.sheet-frame');
  const html = await frame.getAttribute('srcdoc');
  assert.ok(html.startsWith('<!DOCTYPE html>'), 'a whole document');
  // The frame shows it.
  const shown = page.frameLocator('law-record-checklist >> iframe.sheet-frame');
  assert.equal((await shown.locator('h1').textContent()).trim(), '行政执法全过程记录核查表');
  await shot(page, 'print-view');

  // The print button asks the frame, not the host page, to print.
  await page.evaluate(() => {
    const f = document.querySelector('law-record-checklist').shadowRoot.querySelector('iframe.sheet-frame');
    window.__printed = [];
    f.contentWindow.print = () => window.__printed.push('frame');
    window.print = () => window.__printed.push('host');
  });
  await dialog.getByRole('button', { name: '打印 / 另存为 PDF' }).click();
  assert.deepEqual(await page.evaluate(() => window.__printed), ['frame']);

  // Print what the frame holds, as 另存为 PDF does, through Chromium's own PDF printer.
  const printPage = await context.newPage();
  await printPage.setContent(html, { waitUntil: 'load' });
  await printPage.emulateMedia({ media: 'print' });
  const pdfPath = path.join(ARTIFACTS, 'hechabiao.pdf');
  await printPage.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
  // Content-stream order (-raw): Chromium paints cell by cell, so each cell's lines stay together.
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))[1]);

  const report = await page.evaluate(() => document.querySelector('law-record-checklist').report.report);
  const steps = report.steps.length;
  // Steps follow one another, and items that do not apply are counted, not printed: a short
  // case is a short sheet.
  const applicable = report.steps.flatMap((s) => s.items).filter((i) => i.status !== 'not-applicable').length;
  console.log(`# 核查表: ${applicable} applicable items of ${report.steps.flatMap((s) => s.items).length} on ${pages} A4 pages (${steps} steps)`);
  assert.ok(pages <= 4, `${pages} pages for ${applicable} applicable items`);
  assert.ok(text.includes('行政执法全过程记录核查表'));
  assert.ok(text.includes(report.case_id), 'the case number');
  assert.ok(text.includes(report.pack.agency), 'the agency');
  // The media digest, whole on one line.
  const digest = '9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c';
  assert.ok(text.includes(digest), 'the SHA-256 of the recording');
  // Every citation of every applicable item, article and quote (wrapped lines joined).
  const flat = squeeze(text);
  for (const s of report.steps) {
    for (const i of s.items.filter((x) => x.status !== 'not-applicable')) {
      const { citation } = report.rules[i.rule];
      assert.ok(flat.includes(squeeze(citation.article)), `${i.key}: ${citation.article}`);
      assert.ok(flat.includes(squeeze(citation.quote)), `${i.key}: quote`);
    }
  }
  // The officer's tick is on paper, and the case now passes.
  assert.ok(text.includes('人工确认'), 'the acknowledgment');
  assert.ok(flat.includes(squeeze(PAPER_NOTE)), 'with the officer\'s note, for the reviewer');
  assert.ok(text.includes('人工确认与提交理由'), 'listed apart from the records');
  assert.ok(text.includes('可以提交'));
  assert.deepEqual(errors, []);

  // Closing returns to the checklist.
  await dialog.getByRole('button', { name: '关闭' }).click();
  assert.equal(await w.getByRole('dialog').count(), 0);
  await context.close();
});

test('a hashed file and a tick reach the log, the 核查表 PDF prints its head, and the CLI verifies the export', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=simple`);
  await page.locator('law-record-checklist .steps').waitFor();
  // An inspection that ended ten minutes ago (real clock), so its recording is within 24 h.
  const end = new Date(Date.now() - 10 * 60000);
  const bj = (d) => new Date(d.getTime() + 8 * 3600000).toISOString().slice(0, 16);
  const caseId = `PRINT-${Date.now()}`;
  await page.evaluate(([id, s, e]) => {
    const el = document.querySelector('law-record-checklist');
    el.widget.setNow(null);
    el.case = { id, agency: 'changsha-zfj', procedure: 'ordinary', activities: [{ id: 'A1', kind: '现场检查', start: s, end: e }] };
  }, [caseId, bj(new Date(end.getTime() - 3600000)), bj(end)]);
  const w = page.locator('law-record-checklist');
  const av = '13-inspection-av@A1';
  await shadow(page, `li.item[data-key="${av}"] input.media-attach`);

  // Hash a file on the device.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-print-'));
  const file = path.join(dir, '执法记录仪-07.mp4');
  fs.writeFileSync(file, crypto.randomBytes(2 * 1024 * 1024 + 3));
  fs.utimesSync(file, end, end);
  const digest = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  await w.locator(`li.item[data-key="${av}"] input.media-attach`).setInputFiles([file]);
  await shadow(page, `li.item[data-key="${av}"][data-status="satisfied"]`);

  // Tick an item the platform cannot know about.
  const record = '13-inspection-record@A1';
  await acknowledge(w.locator(`li.item[data-key="${record}"]`));
  await shadow(page, `li.item[data-key="${record}"][data-status="acknowledged"]`);

  const exported = await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog());
  const log = JSON.parse(exported);
  assert.equal(log.case_id, caseId);
  const kinds = log.entries.map((e) => e.event.kind);
  assert.ok(kinds.includes('pack-version'), kinds.join());
  assert.ok(log.entries.some((e) => e.event.kind === 'media-hashed' && e.event.payload.sha256 === digest), kinds.join());
  assert.ok(log.entries.some((e) => e.event.kind === 'item-acknowledged' && e.event.payload.item === record), kinds.join());

  await w.getByRole('button', { name: '核查表' }).click();
  const html = await w.getByRole('dialog').locator('iframe.sheet-frame').getAttribute('srcdoc');
  // The officer's own way out: the print view's button downloads the same file.
  const download = await waitForDownload(page, () => w.getByRole('dialog').getByRole('link', { name: '导出记录日志' }).click());
  assert.match(download.suggestedFilename(), /记录日志\.json$/);
  const saved = fs.readFileSync(await download.path(), 'utf8');
  assert.deepEqual(JSON.parse(saved), log, 'the button gives what exportLog() gives');
  const text = await pdfText(context, html, 'hechabiao-hashed.pdf');
  assert.ok(text.includes(digest), 'the digest hashed on this device');
  assert.ok(text.includes(log.head.hash), 'the head of the log');
  assert.ok(text.includes(`共 ${log.head.count} 条；链式校验通过`));
  assert.ok(text.includes('人工确认'));
  const report = await page.evaluate(() => document.querySelector('law-record-checklist').report.report);
  const flat = squeeze(text);
  for (const s of report.steps) {
    for (const i of s.items.filter((x) => x.status !== 'not-applicable')) {
      assert.ok(flat.includes(squeeze(report.rules[i.rule].citation.quote)), `${i.key}: quote`);
    }
  }

  // The exported log verifies with the CLI, against the head printed on the sheet; an edit fails.
  const logFile = path.join(dir, 'log.json');
  fs.writeFileSync(logFile, saved);
  let r = spawnSync(RULES, ['log', 'verify', logFile, '--head', log.head.hash, '--count', String(log.head.count)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  fs.writeFileSync(logFile, exported.replace(digest, digest.replace(/^./, (c) => (c === '0' ? '1' : '0'))));
  r = spawnSync(RULES, ['log', 'verify', logFile], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.ok(r.stdout.includes('内容被修改'), r.stdout);

  // Reloading keeps the log: same entries, nothing logged twice.
  await page.reload();
  // The demo sets its own case first; ours replaces it once the widget is up.
  await page.locator('law-record-checklist .steps').waitFor();
  await page.evaluate((id) => {
    document.querySelector('law-record-checklist').case = { id, agency: 'changsha-zfj', procedure: 'ordinary', activities: [] };
  }, caseId);
  await page.waitForFunction(([id, n]) => {
    const w = document.querySelector('law-record-checklist').widget;
    const t = w && w.exportLog();
    return t && JSON.parse(t).case_id === id && JSON.parse(t).head.count >= n;
  }, [caseId, log.head.count]);
  const again = JSON.parse(await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog()));
  assert.deepEqual(again.entries.slice(0, log.entries.length), log.entries);
  // It came back from IndexedDB, entry by entry; localStorage holds no copy.
  const { idb } = await stored(page, logKey(caseId), again.entries.length);
  assert.deepEqual(idb, again.entries);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), logKey(caseId)), null);
  assert.equal(await w.locator('.log-warning, .log-storage').count(), 0);
  assert.deepEqual(errors, []);
  fs.rmSync(dir, { recursive: true, force: true });
  await context.close();
});

test('fast events while the stored log is read and after: one chain, in IndexedDB, that the CLI verifies', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const caseId = await page.evaluate(() => document.querySelector('law-record-checklist').widget.caseId());
  await attemptSubmit(page);
  const first = await stored(page, logKey(caseId), 1);
  // Another case, then back, and a submit attempted at once, before the stored log can have
  // been read: the attempt is kept and joins the stored chain instead of starting a second one.
  await page.evaluate(() => {
    document.querySelector('law-record-checklist').case = { id: 'ELSEWHERE', agency: 'changsha-zfj', procedure: 'ordinary', activities: [] };
  });
  // Its stored log read; merely opening it logs nothing.
  await stored(page, logKey('ELSEWHERE'), 0);
  const early = await page.evaluate(async () => {
    const c = await (await fetch('/demo/cases/missing-receipt.json')).json();
    const el = document.querySelector('law-record-checklist');
    el.case = c;
    const loading = el.widget.exportLog() === undefined;
    document.querySelector('#submit-case').click();
    return loading;
  });
  assert.ok(early, 'the submit came while the stored log was still being read');
  await w.locator('.steps').waitFor();
  // Then a burst, all in one task: five more submit attempts (each blocked, each a save). The
  // saves queue up behind each other.
  await page.evaluate(() => {
    for (let i = 0; i < 5; i++) { document.querySelector('#submit-case').click(); }
  });
  // And while they are written, the officer closes the blocked-submit dialog and confirms the
  // open item on paper.
  await w.getByRole('dialog').waitFor();
  await page.keyboard.press('Escape');
  await acknowledge(w.locator(`li.item[data-key="${RECEIPT}"]`));
  const ticked = 1;
  const { log, idb } = await stored(page, logKey(caseId), first.log.entries.length + 12 + ticked);
  assert.deepEqual(log.entries.slice(0, first.log.entries.length), first.log.entries, 'the stored log continues');
  const kinds = log.entries.map((e) => e.event.kind);
  assert.equal(kinds.filter((k) => k === 'submit-blocked').length, 1 + 6, kinds.join());
  assert.equal(kinds.filter((k) => k === 'item-acknowledged').length, ticked, kinds.join());
  assert.equal(kinds.filter((k) => k === 'pack-version').length, 1, 'nothing logged twice');
  assert.deepEqual(idb, log.entries, 'IndexedDB holds exactly the chain');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-burst-'));
  const r = verifyCli(dir, JSON.stringify(log), '--head', log.head.hash, '--count', String(log.head.count));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('without IndexedDB the widget warns, keeps the log in localStorage, and a later visit migrates it', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // As a browser that lacks it, or forbids it (some privacy settings): no indexedDB at all.
  await page.addInitScript(() => {
    delete window.indexedDB;
    Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
  });
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const warning = w.locator('.log-storage');
  await warning.waitFor();
  assert.match(await warning.textContent(), /不支持或禁止 IndexedDB/);
  assert.match(await warning.textContent(), /localStorage/);
  await shot(page, 'log-no-indexeddb');
  // The widget still works: the tick counts and is logged, and the log is kept in localStorage.
  await acknowledge(w.locator(`li.item[data-key="${RECEIPT}"]`));
  await shadow(page, `li.item[data-key="${RECEIPT}"][data-status="acknowledged"]`);
  const caseId = await page.evaluate(() => document.querySelector('law-record-checklist').widget.caseId());
  const key = logKey(caseId);
  await page.waitForFunction((k) => (localStorage.getItem(k) || '').includes('item-acknowledged'), key);
  const inPage = await exportLog(page);
  const kept = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key));
  assert.deepEqual(kept.entries, inPage.entries);
  assert.deepEqual(errors, []);

  // The next visit has IndexedDB: the localStorage copy moves there and is then removed.
  const next = await context.newPage();
  next.on('pageerror', (e) => errors.push(String(e)));
  await next.goto(`${BASE}demo/?case=missing-receipt`);
  await next.locator('law-record-checklist .steps').waitFor();
  await next.waitForFunction((k) => localStorage.getItem(k) === null, key);
  const { log, idb } = await stored(next, key, inPage.entries.length);
  assert.deepEqual(log.entries.slice(0, inPage.entries.length), inPage.entries, 'nothing lost');
  assert.deepEqual(idb, log.entries);
  assert.equal(await next.locator('law-record-checklist .log-storage').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an old localStorage log is migrated to IndexedDB, and removed only once IndexedDB holds it', async () => {
  // A log of a case kept on one machine, as the widget exported it (and, before IndexedDB,
  // stored it in localStorage: the same document).
  const id = `OLD-${Date.now()}`;
  const key = logKey(id);
  const setCase = (p) => p.evaluate((i) => {
    document.querySelector('law-record-checklist').case = { id: i, agency: 'changsha-zfj', procedure: 'ordinary', activities: [] };
  }, id);
  const made = await newContext(browser);
  const a = await made.newPage();
  await a.goto(`${BASE}demo/?case=missing-receipt`);
  await a.locator('law-record-checklist .steps').waitFor();
  await setCase(a);
  const opened = await stored(a, key, 0);
  await a.evaluate(() => document.querySelector('#submit-case').click());
  const old = (await stored(a, key, opened.log.entries.length + 2)).log;
  const oldText = await a.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog());
  await made.close();

  // Another machine (a fresh profile) whose localStorage holds that log, and whose IndexedDB
  // is full at first: the copy must stay where it is.
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  await page.locator('law-record-checklist .steps').waitFor();
  await page.evaluate(([k, t]) => {
    localStorage.setItem(k, t);
    window.__add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  }, [key, oldText]);
  await setCase(page);
  const w = page.locator('law-record-checklist');
  await w.locator('.log-storage').waitFor();
  assert.match(await w.locator('.log-storage').textContent(), /存储空间已满/);
  const read = await exportLog(page);
  assert.deepEqual(read.entries.slice(0, old.entries.length), old.entries, 'the old log is read');
  assert.deepEqual(await idbEntries(page, key), []);
  assert.ok(await page.evaluate((k) => localStorage.getItem(k) !== null, key), 'the old copy stays');

  // IndexedDB takes writes again: the next event moves everything there; then the copy goes.
  await page.evaluate(() => { IDBObjectStore.prototype.add = window.__add; });
  await page.evaluate(() => document.querySelector('#submit-case').click());
  await page.waitForFunction((k) => localStorage.getItem(k) === null, key);
  const { log, idb } = await stored(page, key, old.entries.length + 2);
  assert.deepEqual(idb, log.entries);
  assert.deepEqual(log.entries.slice(0, old.entries.length), old.entries, 'nothing lost');
  assert.equal(await w.locator('.log-storage, .log-warning').count(), 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-migrate-'));
  const r = verifyCli(dir, JSON.stringify(log), '--head', old.head.hash, '--count', String(old.head.count));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  fs.rmSync(dir, { recursive: true, force: true });

  // Reloaded, it comes from IndexedDB alone.
  await page.reload();
  await page.locator('law-record-checklist .steps').waitFor();
  await setCase(page);
  const again = await stored(page, key, log.entries.length);
  assert.deepEqual(again.log.entries.slice(0, log.entries.length), log.entries);
  assert.deepEqual(errors, []);
  await context.close();
});

test('IndexedDB full: a warning, what was stored stays, localStorage keeps the rest until IndexedDB takes it', async () => {
  const { context, page, w, key } = await openMissingReceipt();
  await attemptSubmit(page);
  const before = (await stored(page, key, 1)).idb;
  assert.equal(before[0].event.kind, 'pack-version', 'the pack version is logged before the first action');

  // The quota runs out.
  await page.evaluate(() => {
    window.__add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  });
  await acknowledge(w.locator(`li.item[data-key="${RECEIPT}"]`));
  const warning = w.locator('.log-storage');
  await warning.waitFor();
  assert.match(await warning.textContent(), /存储空间已满/);
  assert.match(await warning.textContent(), /localStorage/);
  // The tick itself still counts, the page holds the whole log, IndexedDB what it had, and
  // localStorage the rest.
  assert.equal(await w.locator(`li.item[data-key="${RECEIPT}"]`).getAttribute('data-status'), 'acknowledged');
  const inPage = await exportLog(page);
  assert.ok(inPage.entries.length > before.length);
  assert.deepEqual(await idbEntries(page, key), before);
  assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key)).entries, inPage.entries);
  await shot(page, 'log-warning');

  // localStorage full as well: the warning says the page alone holds the new entries.
  await page.evaluate(() => {
    window.__setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (String(k).endsWith('#log')) { throw new DOMException('quota', 'QuotaExceededError'); }
      return window.__setItem.call(this, k, v);
    };
  });
  await retract(w.locator(`li.item[data-key="${RECEIPT}"]`));
  await page.waitForFunction(() => /只保存在当前页面中/.test(
    document.querySelector('law-record-checklist').shadowRoot.querySelector('.log-storage').textContent));
  const more = await exportLog(page);
  assert.equal(more.entries.at(-1).event.kind, 'item-unacknowledged');
  assert.deepEqual(await idbEntries(page, key), before, 'what IndexedDB had stays');
  assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key)).entries, inPage.entries,
    'what localStorage had stays');

  // Space again: the next event stores everything, and the localStorage copy goes.
  await page.evaluate(() => {
    IDBObjectStore.prototype.add = window.__add;
    Storage.prototype.setItem = window.__setItem;
  });
  await acknowledge(w.locator(`li.item[data-key="${RECEIPT}"]`));
  await w.locator('.log-storage').waitFor({ state: 'detached' });
  const after = await stored(page, key, more.entries.length + 1);
  assert.deepEqual(after.idb, after.log.entries);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null);
  await context.close();
});

test('a stored log edited behind the widget\'s back is named on the next load; its entries stay', async () => {
  const { context, page, w, key } = await openMissingReceipt();
  await attemptSubmit(page);
  const { idb } = await stored(page, key, 1);
  assert.equal(idb[0].event.kind, 'pack-version');
  // Someone edits the first entry in IndexedDB (the browser's developer tools allow it).
  await page.evaluate(([db, k]) => new Promise((resolve, reject) => {
    const open = indexedDB.open(db);
    open.onsuccess = () => {
      const t = open.result.transaction('entries', 'readwrite');
      const s = t.objectStore('entries');
      const g = s.get([k, 0]);
      g.onsuccess = () => { g.result.entry.event.payload.version = '0.0'; s.put(g.result); };
      t.oncomplete = () => { open.result.close(); resolve(); };
      t.onabort = () => reject(t.error);
    };
    open.onerror = () => reject(open.error);
  }), [LOG_DB, key]);
  await page.reload();
  await w.locator('.steps').waitFor();
  const warning = w.locator('.log-warning');
  await warning.waitFor();
  assert.match(await warning.textContent(), /未通过链式校验：第 1 条内容被修改/);
  const kept = await exportLog(page);
  assert.equal(kept.entries[0].event.payload.version, '0.0');
  // The export says so to the CLI as well.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-tamper-'));
  const r = verifyCli(dir, JSON.stringify(kept));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.ok(r.stdout.includes('内容被修改'), r.stdout);
  fs.rmSync(dir, { recursive: true, force: true });
  await context.close();
});
