// The case in and the report out of the wasm, as JSON text (what `evaluate()` does) against
// serde-wasm-bindgen, on the 300-record case: medians of 25 batches of 20, printed, never
// asserted. Needs the bench exports of web/src/api.rs.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { FLAGS } from './flags.mjs';
import { case300, NOW, median } from './case300.mjs';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: FLAGS });
const page = await browser.newPage();
await page.goto(`${process.env.BASE_URL}demo/submitted.html`);
const bigCase = case300(JSON.parse(fs.readFileSync(new URL('../../pkg/demo/cases/complete.json', import.meta.url), 'utf8')));
const out = await page.evaluate(async ([c, now]) => {
  const m = await import('/dist/law-record-checklist.js');
  const api = await m.load();
  const glue = await import('/dist/checklist.js');
  const first = api.evaluate(c, { now });
  if (first.type !== 'success') { throw new Error(JSON.stringify(first.error)); }
  if (!glue.benchSetReport(JSON.stringify(first.report))) { throw new Error('report unreadable'); }
  if (!glue.benchReadJson(c) || !glue.benchReadSerde(c)) { throw new Error('case unreadable'); }
  const same = JSON.stringify(glue.benchWriteJson()) === JSON.stringify(glue.benchWriteSerde());
  const timed = (f) => {
    for (let i = 0; i < 20; i++) { f(); }
    const xs = [];
    for (let s = 0; s < 25; s++) {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) { f(); }
      xs.push((performance.now() - t0) / 20);
    }
    return xs;
  };
  return {
    same,
    evaluate: timed(() => api.evaluate(c, { now })),
    readJson: timed(() => glue.benchReadJson(c)),
    readSerde: timed(() => glue.benchReadSerde(c)),
    writeJson: timed(() => glue.benchWriteJson()),
    writeSerde: timed(() => glue.benchWriteSerde()),
    ua: navigator.userAgent.match(/Chrome\/[\d.]+/)[0],
  };
}, [bigCase, NOW]);
const f = (xs) => median(xs).toFixed(3);
console.log(`${out.ua}: evaluate() ${f(out.evaluate)} ms; case in: JSON ${f(out.readJson)} ms, serde-wasm-bindgen ${f(out.readSerde)} ms; ` +
  `report out: JSON ${f(out.writeJson)} ms, serde-wasm-bindgen ${f(out.writeSerde)} ms (same objects: ${out.same})`);
await browser.close();
