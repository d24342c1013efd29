// Load time as the officer feels it, printed as a table of medians (never asserted): on the demo
// platform, when the platform's submit is guarded and when the first checklist is on screen,
// cold (a fresh profile, nothing cached) and warm (the page loaded again), in Chromium 83 (the
// engine of the officers' 360 / 奇安信 browsers) and Debian's Chromium, each without throttling
// and as an old office PC on an intranet (DevTools CPU throttling 4x, a 10 Mbit/s network).
// Each browser runs on a profile on disk, as an officer's does: an in-memory (incognito-like)
// profile has no code cache, so it would compile the wasm again on every warm load.
// Run by `cargo xtask bench web` (which serves pkg/ and sets BASE_URL, CHROMIUM, CHROMIUM83).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { FLAGS } from './flags.mjs';
import { median } from './case300.mjs';

const BASE = process.env.BASE_URL;
const RUNS = Number(process.env.RUNS || 10);
const BROWSERS = [['Chromium 83', process.env.CHROMIUM83], ['Debian Chromium', process.env.CHROMIUM]]
  .filter(([, exe]) => exe);
const CONDITIONS = [
  { name: 'no throttling', cpu: 1, net: null },
  { name: '4x CPU, 10 Mbit/s', cpu: 4, net: { latency: 2, throughput: (10 * 1000 * 1000) / 8 } },
];

// Marks, relative to navigation start: the guard script's first line and its last (the submit
// held from then on), and the frame after the first checklist was put in the DOM.
const MARKS = {
  guardStart: 'law-record-checklist:guard-start',
  guarded: 'law-record-checklist:guarded',
  drawn: 'bench:drawn',
  wasm: 'law-record-checklist:wasm-ready',
  platformCase: 'bench:platform-case',
  firstRender: 'law-record-checklist:first-render',
};

async function prepare(context) {
  await context.addInitScript(() => {
    // When the platform's own case data arrived: the checklist cannot come before it.
    let value;
    Object.defineProperty(window, 'platformCase', {
      configurable: true,
      get() { return value; },
      set(v) { if (value === undefined) { performance.mark('bench:platform-case'); } value = v; },
    });
    new PerformanceObserver((list) => {
      if (list.getEntriesByName('law-record-checklist:first-render').length) {
        requestAnimationFrame(() => setTimeout(() => performance.mark('bench:drawn'), 0));
      }
    }).observe({ entryTypes: ['mark'] });
  });
}

async function throttle(context, page, condition) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: condition.cpu });
  if (condition.net) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: condition.net.latency,
      downloadThroughput: condition.net.throughput,
      uploadThroughput: condition.net.throughput,
    });
  }
  return cdp;
}

// The marks of one load, read once the page has settled rather than polled while it loads
// (polling puts the test tool's script on the main thread the widget starts on).
async function load(page) {
  await page.goto(`${BASE}demo/?case=complete`, { waitUntil: 'load', timeout: 120000 });
  for (let i = 0; i < 600; i++) {
    await page.waitForTimeout(i === 0 ? 500 : 100);
    const marks = await page.evaluate((names) => {
      const at = (n) => { const e = performance.getEntriesByName(n)[0]; return e ? e.startTime : null; };
      const out = {};
      Object.keys(names).forEach((k) => { out[k] = at(names[k]); });
      return out;
    }, MARKS);
    if (marks.drawn !== null) {
      return marks;
    }
  }
  throw new Error('the checklist never came on screen');
}

// A browser on a fresh profile on disk, throttled as `condition` says.
async function profile(exe, condition) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: exe, args: FLAGS, viewport: { width: 1280, height: 720 },
  });
  await prepare(context);
  const page = context.pages()[0] || await context.newPage();
  const cdp = await throttle(context, page, condition);
  const { product } = await cdp.send('Browser.getVersion');
  const version = product.split('/').pop();
  const close = async () => {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { page, version, close };
}

async function measure(exe, condition) {
  const cold = [];
  let version = '';
  for (let i = 0; i < RUNS; i++) {
    const p = await profile(exe, condition);
    version = p.version;
    cold.push(await load(p.page));
    await p.close();
  }
  const warm = [];
  const p = await profile(exe, condition);
  await load(p.page);
  for (let i = 0; i < RUNS; i++) {
    warm.push(await load(p.page));
  }
  await p.close();
  return { cold, warm, version };
}

const ms = (xs) => `${median(xs).toFixed(0)}`;
const rows = [];
for (const [name, exe] of BROWSERS) {
  for (const condition of CONDITIONS) {
    const { cold, warm, version } = await measure(exe, condition);
    const pick = (list, k) => list.map((m) => m[k]);
    const install = (list) => list.map((m) => m.guarded - m.guardStart);
    rows.push([
      `${name} ${version.split('.')[0]}`, condition.name,
      ms(install(cold)), ms(pick(cold, 'guarded')), ms(pick(warm, 'guarded')),
      ms(pick(cold, 'drawn')), ms(pick(warm, 'drawn')),
    ]);
    const detail = (list) => ['platformCase', 'wasm', 'firstRender', 'drawn']
      .map((k) => `${k} ${ms(pick(list, k))}`).join(', ');
    console.log(`# ${name} ${version}, ${condition.name}: cold ${detail(cold)}; warm ${detail(warm)} (medians, ms)`);
  }
}

const head = ['browser', 'condition', 'guard runs (ms)', 'guarded cold', 'guarded warm', 'checklist cold', 'checklist warm'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(`\nLoad of the demo platform's complete case, medians of ${RUNS}, ms after navigation start`);
console.log('(guard runs: the guard script from its first line to the submit held; guarded: when the');
console.log('submit is held, after navigation start; checklist: the frame after the first checklist is drawn)');
console.log(line(head));
console.log(line(widths.map((w) => '-'.repeat(w))));
rows.forEach((r) => console.log(line(r)));
