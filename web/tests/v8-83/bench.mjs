// Timings of the widget's engine in V8 8.3, the engine of Chromium 83 (奇安信 / 360 cores):
// Node 14.5 from npm, jsdom 16 for the page. Printed as medians, never asserted. Run by
// `cargo xtask bench web` after the headless-Chromium bench.
import fs from 'fs';
import path from 'path';
import { performance as hr } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { installDom } from './dom.mjs';
import { case300, NOW, median } from '../case300.mjs';

const DIST = process.env.DIST;
const CASES = process.env.CASES;
if (!DIST || !CASES) { throw new Error('DIST and CASES must be set'); }

const win = installDom('<!doctype html><html><body></body></html>');
// jsdom's `performance` has `now` only, and Node 14's lacks measures: a small User Timing of
// its own lets the widget put its engine run and the report's JSON on the timeline, as it
// does in a browser, to tell the shares apart.
const marks = new Map();
const measures = new Map();
const userTiming = {
  timeOrigin: hr.timeOrigin,
  now: () => hr.now(),
  mark(name) { marks.set(name, hr.now()); },
  measure(name, start) { const t = hr.now(); const s = marks.get(start) || t; measures.set(name, { name, startTime: s, duration: t - s }); },
  clearMarks(name) { marks.delete(name); },
  clearMeasures(name) { measures.delete(name); },
  getEntriesByName(name) { return measures.has(name) ? [measures.get(name)] : []; },
};
// The wasm finds the page as `self` (the jsdom window), the loader as the global scope.
Object.defineProperty(win, 'performance', { configurable: true, get: () => userTiming });
global.performance = userTiming;

// Node 14.5 has no top-level await.
async function main() {
  const wasm = fs.readFileSync(path.join(DIST, fs.readdirSync(DIST).find((n) => /^checklist_bg\.[0-9a-f]{16}\.wasm$/.test(n))));
  // Once: V8 keeps compiled modules by their bytes, so compiling them again measures its cache.
  const t0 = hr.now();
  await WebAssembly.compile(wasm);
  const compile = hr.now() - t0;
  const mod = await import(pathToFileURL(path.join(DIST, 'law-record-checklist.js')).href);
  const api = await mod.load(wasm);

  const c = case300(JSON.parse(fs.readFileSync(path.join(CASES, 'complete.json'), 'utf8')));
  const opts = { now: NOW };
  const first = api.evaluate(c, opts);
  if (first.type !== 'success') { throw new Error(JSON.stringify(first.error)); }
  // Warm up: V8 tiers wasm functions up from its baseline compiler as they run.
  for (let i = 0; i < 50; i++) { api.evaluate(c, opts); }
  const samples = [];
  for (let s = 0; s < 25; s++) {
    const t0 = hr.now();
    for (let i = 0; i < 20; i++) { api.evaluate(c, opts); }
    samples.push((hr.now() - t0) / 20);
  }
  const share = { read: [], engine: [], json: [] };
  for (let i = 0; i < 200; i++) {
    api.evaluate(c, opts);
    share.read.push(performance.getEntriesByName('law-record-checklist:read-case')[0].duration);
    share.engine.push(performance.getEntriesByName('law-record-checklist:evaluate')[0].duration);
    share.json.push(performance.getEntriesByName('law-record-checklist:report-json')[0].duration);
  }
  const count = c.records.length + c.activities.reduce((n, a) => n + a.records.length, 0);
  const items = first.report.steps.reduce((n, s) => n + s.items.length, 0);
  console.log(`V8 ${process.versions.v8} (Chromium 83's engine, Node ${process.versions.node}):`);
  console.log(`  WebAssembly.compile of the widget's wasm (${(wasm.length / 1024).toFixed(0)} KB), first time: ${compile.toFixed(1)} ms`);
  console.log(`  evaluate ${count}-record case (${items} items) via evaluate(): median ${median(samples).toFixed(3)} ms (25 batches of 20)`);
  console.log(`    of which reading the case in wasm: median ${median(share.read).toFixed(2)} ms; the engine itself: median ${median(share.engine).toFixed(2)} ms; the report as JSON in wasm: median ${median(share.json).toFixed(2)} ms`);
}

main().catch((e) => { console.error(e); process.exit(1); });
