// SHA-256 of a 1 GiB file in headless Chromium, one page, one run: our worker (BYOB reader +
// wasm core), hash-wasm 4.x (npm) reading the same file the same way in the page, and WebCrypto
// `digest` on the whole buffer; each the median of 5 rounds run in turn, printed with the ratio
// to hash-wasm (median of the per-round ratios). Then
// the page's peak memory growth while our worker hashes a 4 GiB file. Figures are printed,
// never asserted. Run by `cargo xtask bench hash`.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { FLAGS } from './flags.mjs';

const BASE = process.env.BASE_URL;
const MIB = 1024 * 1024;
const RUNS = 5;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-bench-hash-'));
const oneGiB = path.join(dir, 'bench-1GiB.bin');
{
  // Random bytes, so nothing downstream can shortcut zeros; written in 64 MiB blocks.
  const fd = fs.openSync(oneGiB, 'w');
  for (let i = 0; i < 16; i++) { fs.writeSync(fd, crypto.randomBytes(64 * MIB)); }
  fs.closeSync(fd);
}
const fourGiB = path.join(dir, 'bench-4GiB.bin');
fs.writeFileSync(fourGiB, '');
fs.truncateSync(fourGiB, 4 * 1024 * MIB);
const expected = execFileSync('sha256sum', [oneGiB]).toString().split(' ')[0];

// A switch Chromium ignores, to find this browser's processes in /proc.
const MARK = `--lrc-bench-hash=${process.pid}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: [...FLAGS, MARK] });
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${BASE}demo/?case=complete`);
const require = createRequire(import.meta.url);
await page.addScriptTag({ path: require.resolve('hash-wasm/dist/sha256.umd.min.js') });
await page.evaluate(() => {
  document.body.insertAdjacentHTML('beforeend', '<input type="file" id="bench-file">');
});
await page.setInputFiles('#bench-file', [oneGiB]);

const r = await page.evaluate(async ([runs, want]) => {
  const m = await import('/dist/law-record-checklist.js');
  const file = document.getElementById('bench-file').files[0];
  const mb = file.size / 1048576;
  const out = { ours: [], hashWasm: [], webCrypto: [], webCryptoRead: [], simd: m.simdSupported() };
  const pool = m.createHashPool({ workers: 1 });
  const scalar = m.createHashPool({ workers: 1, simd: false });
  out.scalar = [];
  const ours = async (p, into) => {
    const t0 = performance.now();
    const res = await p.hash(file).done;
    into.push(mb / ((performance.now() - t0) / 1000));
    if (res.sha256 !== want) { throw new Error(`our digest ${res.sha256} is wrong`); }
    out.reader = res.reader;
  };
  const hw = async () => {
    const t0 = performance.now();
    const h = await hashwasm.createSHA256();
    h.init();
    const reader = file.stream().getReader({ mode: 'byob' });
    let buf = new ArrayBuffer(4 * 1048576);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buf));
      if (done) { break; }
      h.update(value);
      buf = value.buffer;
    }
    const hex = h.digest('hex');
    out.hashWasm.push(mb / ((performance.now() - t0) / 1000));
    if (hex !== want) { throw new Error(`hash-wasm digest ${hex} is wrong`); }
  };
  const wc = async () => {
    const t0 = performance.now();
    let data = await file.arrayBuffer();
    const t1 = performance.now();
    await crypto.subtle.digest('SHA-256', data);
    const t2 = performance.now();
    data = null;
    out.webCrypto.push(mb / ((t2 - t1) / 1000));
    out.webCryptoRead.push(mb / ((t2 - t0) / 1000));
  };
  // Round robin, so a change of load on the shared machine hits every contender alike.
  for (let i = 0; i < runs; i++) {
    await ours(pool, out.ours);
    await hw();
    await ours(scalar, out.scalar);
    await wc();
  }
  pool.terminate();
  scalar.terminate();
  return out;
}, [RUNS, expected]);

const fmt = (xs) => `${median(xs).toFixed(0)} MB/s  [${xs.map((x) => x.toFixed(0)).join(' ')}]`;
console.log(`SHA-256 of a 1 GiB file in headless Chromium, median of ${RUNS} (MiB/s):`);
console.log(`  ours: worker, ${r.reader} reader, ${r.simd ? 'simd128' : 'scalar'} core          ${fmt(r.ours)}`);
console.log(`  ours with the scalar core (Chromium 83–90)            ${fmt(r.scalar)}`);
console.log(`  hash-wasm 4.13 createSHA256, BYOB reader in the page  ${fmt(r.hashWasm)}`);
console.log(`  WebCrypto digest on the whole buffer (digest only)    ${fmt(r.webCrypto)}`);
console.log(`  WebCrypto incl. file.arrayBuffer() (needs 1 GiB RAM)  ${fmt(r.webCryptoRead)}`);

// Peak memory growth of the page's renderer (which runs its dedicated workers too) while our
// worker hashes a 4 GiB file: resident set sampled from /proc every 50 ms.
function browserPid() {
  for (const d of fs.readdirSync('/proc')) {
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes(MARK) && !cmd.includes('--type=')) { return Number(d); }
    } catch (e) { /* gone */ }
  }
  throw new Error('cannot find the browser process');
}

function rendererPids(root) {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) { continue; }
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) { kids.set(ppid, []); }
      kids.get(ppid).push(Number(d));
    } catch (e) { /* gone */ }
  }
  const out = [];
  const walk = (pid) => (kids.get(pid) || []).forEach((c) => {
    try {
      if (fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('--type=renderer')) { out.push(c); }
    } catch (e) { /* gone */ }
    walk(c);
  });
  walk(root);
  return out;
}
const rss = (pids) => pids.reduce((n, p) => {
  try {
    const m = fs.readFileSync(`/proc/${p}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return n + (m ? Number(m[1]) * 1024 : 0);
  } catch (e) { return n; }
}, 0);

// A fresh page, so the buffers of the WebCrypto runs do not sit in the baseline.
await page.close();
const memPage = await context.newPage();
await memPage.goto(`${BASE}demo/?case=complete`);
await memPage.evaluate(() => {
  document.body.insertAdjacentHTML('beforeend', '<input type="file" id="bench-file">');
});
await memPage.setInputFiles('#bench-file', [fourGiB]);
const pids = rendererPids(browserPid());
await memPage.evaluate(async () => {
  // Load the module and spin up a worker first: their cost is not the file's.
  const m = await import('/dist/law-record-checklist.js');
  const pool = m.createHashPool({ workers: 1 });
  await pool.hash(new Blob(['warm'])).done;
  pool.terminate();
  await new Promise((resolve) => setTimeout(resolve, 500));
});
async function memoryRun(test) {
  const baseline = rss(pids);
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, rss(pids)); }, 50);
  const big = await memPage.evaluate(async (t) => {
    const m = await import('/dist/law-record-checklist.js');
    const pool = m.createHashPool({ workers: 1, test: t });
    // The page's responsiveness meanwhile: the longest gap between 10 ms timer ticks.
    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => { const n = performance.now(); worst = Math.max(worst, n - last); last = n; }, 10);
    const res = await pool.hash(document.getElementById('bench-file').files[0]).done;
    clearInterval(tick);
    pool.terminate();
    res.worstGap = worst;
    return res;
  }, test);
  clearInterval(sampler);
  peak = Math.max(peak, rss(pids));
  console.log(`4 GiB file, ${big.reader} reader (${big.state}, ${(big.bytes / MIB / big.seconds).toFixed(0)} MiB/s): renderer RSS ` +
    `${(baseline / MIB).toFixed(0)} MB before, peak growth ${((peak - baseline) / MIB).toFixed(1)} MB ` +
    `(${pids.length} renderer process${pids.length === 1 ? '' : 'es'}); longest main-thread timer gap ${big.worstGap.toFixed(0)} ms`);
}
await memoryRun(null);
// Where BYOB is missing (Chromium < 89) the slice() reader is all there is.
await memoryRun({ noByob: true });
console.log('memory goal: growth ≤ 64 MB, with either reader');
// Each round ran ours and hash-wasm back to back: the ratio is taken per round, so a change
// of load on the shared machine between rounds does not enter it.
const paired = r.ours.map((x, i) => x / r.hashWasm[i]);
console.log(`ratio of medians ${(median(r.ours) / median(r.hashWasm)).toFixed(2)}; per-round ratios ` +
  `[${paired.map((x) => x.toFixed(2)).join(' ')}]`);
console.log(`ratio vs hash-wasm: ${median(paired).toFixed(2)}`);

await browser.close();
fs.rmSync(dir, { recursive: true, force: true });
