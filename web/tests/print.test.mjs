// The 核查表 in a real browser: tick an item, open the print view, print it to PDF through
// Chromium, and read the PDF's text back with pdftotext (poppler-utils, installed by
// `cargo xtask test`). Run by `cargo xtask test` (which serves pkg/ and sets BASE_URL, CHROMIUM,
// ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
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
      assert.ok(flat.includes(squeeze(i.citation.article)), `${i.key}: ${i.citation.article}`);
      assert.ok(flat.includes(squeeze(i.citation.quote)), `${i.key}: quote`);
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
