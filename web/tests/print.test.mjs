// The 核查表 in a real browser: tick an item, open the print view, print it to PDF through
// Chromium, and read the PDF's text back with pdftotext (poppler-utils, installed by
// `cargo xtask test`). Run by `cargo xtask test` (which serves pkg/ and sets BASE_URL, CHROMIUM,
// ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { FLAGS } from './flags.mjs';

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const ARTIFACTS = process.env.ARTIFACTS || 'artifacts';
const RECEIPT = '29-direct-receipt@S1';

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS });
});
after(async () => { await browser.close(); });

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

const shadow = (page, sel) => page.waitForFunction((s) => document.querySelector('law-record-checklist').shadowRoot.querySelector(s), sel);

test('the print view prints to a PDF holding the digests, citations and ticks', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const row = w.locator(`li.item[data-key="${RECEIPT}"]`);
  await row.getByRole('checkbox').check();
  await page.waitForFunction((key) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${key}"]`).dataset.status === 'satisfied', RECEIPT);

  await w.getByRole('button', { name: '核查表' }).click();
  const dialog = w.getByRole('dialog');
  await dialog.waitFor();
  const frame = dialog.locator('iframe.sheet-frame');
  const html = await frame.getAttribute('srcdoc');
  assert.ok(html.startsWith('<!DOCTYPE html>'), 'a whole document');
  // The frame shows it.
  const shown = page.frameLocator('law-record-checklist >> iframe.sheet-frame');
  assert.equal((await shown.locator('h1').textContent()).trim(), '行政执法全过程记录核查表');
  await page.screenshot({ path: path.join(ARTIFACTS, 'print-view.png') });

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
  assert.ok(pages >= steps, `a page per step: ${pages} pages, ${steps} steps`);
  assert.ok(text.includes('行政执法全过程记录核查表'));
  assert.ok(text.includes(report.case_id), 'the case number');
  assert.ok(text.includes(report.pack.agency), 'the agency');
  // The media digest, whole on one line.
  const digest = '9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c9f2c';
  assert.ok(text.includes(digest), 'the SHA-256 of the recording');
  // Every citation of every applicable item, article and quote (wrapped lines joined).
  const flat = squeeze(text);
  for (const s of report.steps) {
    for (const i of s.items) {
      const { citation } = report.rules[i.rule];
      assert.ok(flat.includes(squeeze(citation.article)), `${i.key}: ${citation.article}`);
      assert.ok(flat.includes(squeeze(citation.quote)), `${i.key}: quote`);
    }
  }
  // The officer's tick is on paper, and the case now passes.
  assert.ok(text.includes('人工确认'), 'the acknowledgment');
  assert.ok(text.includes('可以提交'));
  assert.deepEqual(errors, []);

  // Closing returns to the checklist.
  await dialog.getByRole('button', { name: '关闭' }).click();
  assert.equal(await w.getByRole('dialog').count(), 0);
  await context.close();
});

test('a hashed file and a tick reach the log, the 核查表 PDF prints its head, and the CLI verifies the export', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
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
  await w.locator(`li.item[data-key="${record}"]`).getByRole('checkbox').check();
  await shadow(page, `li.item[data-key="${record}"][data-status="satisfied"]`);

  const exported = await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog());
  const log = JSON.parse(exported);
  assert.equal(log.case_id, caseId);
  const kinds = log.entries.map((e) => e.event.kind);
  assert.ok(kinds.includes('pack-version'), kinds.join());
  assert.ok(log.entries.some((e) => e.event.kind === 'media-hashed' && e.event.payload.sha256 === digest), kinds.join());
  assert.ok(log.entries.some((e) => e.event.kind === 'item-acknowledged' && e.event.payload.item === record), kinds.join());

  await w.getByRole('button', { name: '核查表' }).click();
  const html = await w.getByRole('dialog').locator('iframe.sheet-frame').getAttribute('srcdoc');
  const text = await pdfText(context, html, 'hechabiao-hashed.pdf');
  assert.ok(text.includes(digest), 'the digest hashed on this device');
  assert.ok(text.includes(log.head.hash), 'the head of the log');
  assert.ok(text.includes(`共 ${log.head.count} 条；链式校验通过`));
  assert.ok(text.includes('人工确认'));
  const report = await page.evaluate(() => document.querySelector('law-record-checklist').report.report);
  const flat = squeeze(text);
  for (const s of report.steps) {
    for (const i of s.items) {
      assert.ok(flat.includes(squeeze(report.rules[i.rule].citation.quote)), `${i.key}: quote`);
    }
  }

  // The exported log verifies with the CLI, against the head printed on the sheet; an edit fails.
  const logFile = path.join(dir, 'log.json');
  fs.writeFileSync(logFile, exported);
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
  assert.deepEqual(errors, []);
  fs.rmSync(dir, { recursive: true, force: true });
  await context.close();
});

test('a full storage shows a warning and loses nothing already written', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const before = JSON.parse(await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog()));
  assert.ok(before.entries.length >= 1, 'the pack version is logged on opening');
  const key = Object.keys(await page.evaluate(() => ({ ...localStorage }))).find((k) => k.endsWith('#log'));
  assert.ok(key, 'the log is stored on this machine');
  const stored = await page.evaluate((k) => localStorage.getItem(k), key);

  // The quota runs out.
  await page.evaluate(() => {
    const orig = Storage.prototype.setItem;
    window.__setItem = orig;
    Storage.prototype.setItem = function (k, v) {
      if (String(k).endsWith('#log')) { throw new DOMException('quota', 'QuotaExceededError'); }
      return orig.call(this, k, v);
    };
  });
  await w.locator(`li.item[data-key="${RECEIPT}"]`).getByRole('checkbox').check();
  const warning = w.locator('.log-warning');
  await warning.waitFor();
  assert.match(await warning.textContent(), /操作日志未能保存到本机/);
  // The tick itself still counts, the page still holds the whole log, and what was stored stays.
  assert.equal(await w.locator(`li.item[data-key="${RECEIPT}"]`).getAttribute('data-status'), 'satisfied');
  const inPage = JSON.parse(await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog()));
  assert.ok(inPage.entries.length > before.entries.length);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), stored);
  await page.screenshot({ path: path.join(ARTIFACTS, 'log-warning.png') });

  // A stored log edited behind the widget's back is named on the next load; its entries stay.
  await page.evaluate(() => { Storage.prototype.setItem = window.__setItem; });
  const tampered = stored.replace(/"version":"[^"]*"/, '"version":"0.0"');
  assert.notEqual(tampered, stored);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, tampered]);
  await page.reload();
  await w.locator('.steps').waitFor();
  await warning.waitFor();
  assert.match(await warning.textContent(), /未通过链式校验：第 1 条内容被修改/);
  const kept = JSON.parse(await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog()));
  assert.equal(kept.entries[0].event.payload.version, '0.0');
  await context.close();
});
