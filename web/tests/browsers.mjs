// The one place the real-browser suites launch a browser. `cargo xtask test` runs each suite
// twice: BROWSER=modern with Debian's Chromium, and BROWSER=chromium83 with HeadlessChrome
// 83.0.4103.0 (the engine of the officers' 360 / 奇安信 browsers), CHROMIUM naming the
// executable. Tests ask `isChromium83` only where 83 lacks a feature on purpose, to assert the
// fallback the officers get instead.
//
// Playwright's own page-side script needs Chromium 105+ in one place: its visibility check calls
// `Element.prototype.checkVisibility`, so on 83 every click, fill, check or wait fails. That
// script runs in an isolated world the page cannot reach, so a page script cannot fix it. What
// can: a selector engine registered here is evaluated by Playwright inside that same script,
// in every world, before any action uses it. Ours defines `checkVisibility` where missing and
// matches nothing. Being part of the script's creation, it cannot arrive too late after a
// navigation. Nothing is added to the page's own world from the start: code of the widget that
// called `checkVisibility` must still fail on 83 here as it would in the field. (Playwright
// creates its script in the page's world only when a test evaluates on a locator; then the page
// sees the definition too.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, selectors } from 'playwright-core';
import { FLAGS } from './flags.mjs';

export const BROWSER = process.env.BROWSER || 'modern';
if (!['modern', 'chromium83'].includes(BROWSER)) {
  throw new Error(`BROWSER=${BROWSER}: expected modern or chromium83`);
}
export const isChromium83 = BROWSER === 'chromium83';
export const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080/';
/** Screenshots and files of this run, one folder per browser. */
export const ARTIFACTS = path.join(process.env.ARTIFACTS || 'artifacts', BROWSER);
fs.mkdirSync(ARTIFACTS, { recursive: true });

// checkVisibility as the spec has it, for what Playwright asks: false without a layout box
// (display: none on the element or an ancestor, a closed <details>…), and false for
// visibility / opacity when those options are given.
const CHECK_VISIBILITY = `(() => {
  if (typeof Element.prototype.checkVisibility !== 'function') {
    Object.defineProperty(Element.prototype, 'checkVisibility', {
      configurable: true,
      writable: true,
      value: function checkVisibility(options) {
        const o = options || {};
        if (!this.isConnected || this.getClientRects().length === 0) { return false; }
        if ((o.checkVisibilityCSS || o.visibilityProperty) && getComputedStyle(this).visibility !== 'visible') {
          return false;
        }
        if (o.checkOpacity || o.opacityProperty) {
          for (let e = this; e; e = e.parentElement || (e.getRootNode().host || null)) {
            if (getComputedStyle(e).opacity === '0') { return false; }
          }
        }
        return true;
      },
    });
  }
  return { query: () => null, queryAll: () => [] };
})()`;

let registered = false;

/** Launches the browser of this run and prints which one it is. */
export async function launchBrowser() {
  if (!registered) {
    await selectors.register('lrc-check-visibility', { content: CHECK_VISIBILITY }, { contentScript: true });
    registered = true;
  }
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, args: FLAGS });
  console.log(`browser: ${BROWSER}, Chromium ${browser.version()} (${executablePath})`);
  if (isChromium83 && !browser.version().startsWith('83.')) {
    throw new Error(`BROWSER=chromium83 but ${executablePath} is Chromium ${browser.version()}`);
  }
  return browser;
}

/** A fresh profile (context) in zh-CN, as officers' browsers are set up, taking downloads. */
export function newContext(browser, options) {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true, ...options });
}

/**
 * The file the page downloads when `action` runs: `{suggestedFilename(), path(), saveAs(to)}`,
 * as Playwright's Download has them.
 */
export async function waitForDownload(page, action) {
  if (!isChromium83) {
    const [d] = await Promise.all([page.waitForEvent('download'), action()]);
    return d;
  }
  // Playwright learns of downloads from Browser.downloadWillBegin, which Chromium 83 does not
  // send. Its page domain does report them, and saves each file under the name the page gave
  // it, so the name is read from the folder. Times out as Playwright's own wait would.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-download-'));
  // The test reads the file after this returns: the folder goes when the run ends.
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('Page.enable');
    await session.send('Page.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
    let timer;
    const finished = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no download finished within 30 s')), 30000);
      session.on('Page.downloadProgress', (e) => {
        if (e.state === 'completed') { resolve(); }
        if (e.state === 'canceled') { reject(new Error('the download was canceled')); }
      });
    });
    await action();
    await finished.finally(() => clearTimeout(timer));
  } finally {
    await session.detach().catch(() => {});
  }
  const files = fs.readdirSync(dir).filter((f) => !f.endsWith('.crdownload'));
  if (files.length !== 1) { throw new Error(`expected one downloaded file, found ${files.join(', ') || 'none'}`); }
  const file = path.join(dir, files[0]);
  return { suggestedFilename: () => files[0], path: async () => file, saveAs: async (to) => fs.copyFileSync(file, to) };
}

/** A screenshot into this browser's artifacts folder. */
export async function shot(page, name, options) {
  const o = { path: path.join(ARTIFACTS, `${name}.png`), ...options };
  if (!(isChromium83 && o.fullPage)) {
    return page.screenshot(o);
  }
  // Playwright takes a full page with captureBeyondViewport (Chromium 87+); Chromium 83 paints
  // only the viewport and leaves the rest blank. So the viewport is made as tall as the page
  // for the shot, as drivers of that time did, and put back.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  try {
    return await page.screenshot({ ...o, fullPage: false });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** What an officer writes when confirming a paper record: enough for the engine to count it. */
export const PAPER_NOTE = '纸质记录已签收归档，见卷宗第12页';

/**
 * Confirms the item in `row` (a checklist `li.item` locator) as done on paper, as an officer
 * does: opens the form, writes where the paper record is, confirms.
 */
export async function acknowledge(row, note = PAPER_NOTE) {
  await row.getByRole('button', { name: '线下已完成（人工确认）…' }).click();
  await row.getByRole('textbox', { name: '线下已完成：写明纸质记录及其存放位置' }).fill(note);
  await row.getByRole('button', { name: '确认', exact: true }).click();
}

/** Takes back the officer's confirmation of the item in `row` (the button asks once more). */
export async function retract(row) {
  await row.getByRole('button', { name: '撤销确认' }).click();
  await row.getByRole('button', { name: '确定撤销？' }).click();
}

/**
 * Forgets every checklist record the demo platform's server stored (its SQLite database), so
 * a test starts from the platform as a fresh case finds it: the demo page saves the record of
 * each case it shows, and a later test of the same case would otherwise get it back.
 */
export async function resetPlatform() {
  const r = await fetch(`${BASE}api/records`, { method: 'DELETE' });
  if (!r.ok) { throw new Error(`DELETE api/records: HTTP ${r.status}`); }
}
