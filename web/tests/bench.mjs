// Timings of the widget in headless Chromium, printed as medians (never asserted: timings on
// a shared 2-core machine are not test material). Run by `cargo xtask bench web`.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { FLAGS } from './flags.mjs';
import { case300, NOW, median } from './case300.mjs';

const BASE = process.env.BASE_URL;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: FLAGS });
const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
const page = await context.newPage();

// 1. Page load to first rendered checklist (performance mark set by the widget). The widget
// cannot show a checklist before the platform has its case: the moment the demo platform's own
// case data arrives is marked too, to tell the platform's share from the widget's.
await context.addInitScript(() => {
  let value;
  Object.defineProperty(window, 'platformCase', {
    configurable: true,
    get() { return value; },
    set(v) { if (value === undefined) { performance.mark('bench:platform-case'); } value = v; },
  });
  // The mark is set when the checklist is in the DOM; the officer sees it with the next frame
  // (style, layout, paint): marked at the end of that frame's work.
  new PerformanceObserver((list) => {
    if (list.getEntriesByName('law-record-checklist:first-render').length) {
      requestAnimationFrame(() => setTimeout(() => performance.mark('bench:drawn'), 0));
    }
  }).observe({ type: 'mark' });
});
const renders = [];
const cases = [];
const drawn = [];
const ready = [];
await page.goto(`${BASE}demo/?case=complete`); // warm the HTTP and wasm caches once
// The marks are read once the page has settled, not polled for while it loads: polling
// injects the test tool's own script into the page, on the main thread the widget starts on.
const settle = (p, ms) => p.waitForTimeout(ms);
// When the page set the performance mark `name` (waiting for it if it is not there yet).
const markAt = async (p, name) => (await p.waitForFunction((n) => {
  const e = performance.getEntriesByName(n)[0];
  return e && e.startTime;
}, name)).jsonValue();
for (let i = 0; i < 10; i++) {
  await page.goto(`${BASE}demo/?case=complete`, { waitUntil: 'commit' });
  await settle(page, 1000);
  renders.push(await markAt(page, 'law-record-checklist:first-render'));
  cases.push(await markAt(page, 'bench:platform-case'));
  drawn.push(await markAt(page, 'bench:drawn'));
  ready.push(await markAt(page, 'law-record-checklist:wasm-ready'));
}

// 1b. The same on a first visit: a fresh browser profile each time, nothing cached.
const colds = [];
for (let i = 0; i < 5; i++) {
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const p = await fresh.newPage();
  await p.goto(`${BASE}demo/?case=complete`, { waitUntil: 'commit' });
  await settle(p, 2000);
  colds.push(await markAt(p, 'law-record-checklist:first-render'));
  await fresh.close();
}

// 2. Evaluating a 300-record case inside the page, through the public JS API.
const bigCase = case300(JSON.parse(fs.readFileSync(new URL('../../pkg/demo/cases/complete.json', import.meta.url), 'utf8')));
const evals = await page.evaluate(async ([c, now]) => {
  const m = await import('/dist/law-record-checklist.js');
  const api = await m.load();
  const count = c.records.length + c.activities.reduce((n, a) => n + a.records.length, 0);
  const opts = { now };
  const first = api.evaluate(c, opts);
  if (first.type !== 'success') { throw new Error(JSON.stringify(first.error)); }
  for (let i = 0; i < 20; i++) { api.evaluate(c, opts); }
  const batch = 20;
  const timed = (f) => {
    const out = [];
    for (let s = 0; s < 25; s++) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) { f(); }
      out.push((performance.now() - t0) / batch);
    }
    return out;
  };
  const samples = timed(() => api.evaluate(c, opts));
  // Where the time goes: the widget puts its engine run and the report's JSON on the page's
  // performance timeline (0.1 ms steps in a page that is not cross-origin isolated).
  const engine = [];
  const json = [];
  const read = [];
  for (let i = 0; i < 200; i++) {
    api.evaluate(c, opts);
    engine.push(performance.getEntriesByName('law-record-checklist:evaluate')[0].duration);
    json.push(performance.getEntriesByName('law-record-checklist:report-json')[0].duration);
    read.push(performance.getEntriesByName('law-record-checklist:read-case')[0].duration);
  }
  const text = JSON.stringify(first.report);
  // 3. What the officer waits for: the page's widget given the same case, to the next frame
  // (evaluation, the checklist rebuilt, style and layout). First time, then changed data.
  const widget = await document.querySelector('law-record-checklist').ready;
  const updates = [];
  // The browser's own share of the first display (style, layout, text shaping), from the
  // long-animation-frame entry that holds it, where the engine has them (Chromium 123+).
  const frames = [];
  if ((PerformanceObserver.supportedEntryTypes || []).includes('long-animation-frame')) {
    new PerformanceObserver((list) => frames.push(...list.getEntries())).observe({ type: 'long-animation-frame' });
  }
  for (let i = 0; i < 11; i++) {
    c.activities[0].place = `第${i}次`;
    const t0 = performance.now();
    widget.setCase(c);
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    updates.push(performance.now() - t0);
    if (i === 0) {
      await new Promise((done) => setTimeout(done, 50));
      const f = frames.find((e) => e.startTime + e.duration >= t0);
      updates.layout = f ? f.startTime + f.duration - f.styleAndLayoutStart : null;
    }
  }
  return {
    updates,
    firstLayout: updates.layout,
    count,
    items: first.report.steps.reduce((n, s) => n + s.items.length, 0),
    samples,
    engine,
    json,
    read,
    reportBytes: new TextEncoder().encode(text).length,
    parse: timed(() => JSON.parse(text)),
  };
}, [bigCase, NOW]);

console.log(`first render after page load (ms, 10 reloads, files revalidated): median ${median(renders).toFixed(1)}  [${renders.map((x) => x.toFixed(0)).join(' ')}]`);
console.log(`  the widget's wasm compiled and ready at median ${median(ready).toFixed(1)} ms`);
console.log(`  the platform's own case data there at median ${median(cases).toFixed(1)} ms; the checklist ${median(renders.map((r, i) => r - cases[i])).toFixed(1)} ms after it (median)`);
console.log(`  on screen (the frame after it drawn): median ${median(drawn).toFixed(1)} ms`);
console.log(`first render on a first visit (ms, 5 fresh profiles): median ${median(colds).toFixed(1)}  [${colds.map((x) => x.toFixed(0)).join(' ')}]`);
console.log(`evaluate ${evals.count}-record case (${evals.items} items) via evaluate(): median ${median(evals.samples).toFixed(3)} ms (25 batches of 20)`);
console.log(`  of which reading the case in wasm: median ${median(evals.read).toFixed(2)} ms`);
console.log(`  the engine itself: median ${median(evals.engine).toFixed(2)} ms; the report as JSON (${(evals.reportBytes / 1024).toFixed(0)} KB) in wasm: median ${median(evals.json).toFixed(2)} ms; JSON.parse of it in JS: median ${median(evals.parse).toFixed(3)} ms`);
console.log(`the widget shown that case, to the next frame: first ${evals.updates[0].toFixed(0)} ms, then median ${median(evals.updates.slice(1)).toFixed(1)} ms (10 changes)`);
if (evals.firstLayout != null) {
  console.log(`  of the first: style and layout ${evals.firstLayout.toFixed(0)} ms`);
}
await browser.close();
