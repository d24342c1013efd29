// Real-browser tests of on-device media hashing, in Debian's Chromium and in Chromium 83: digests
// compared with `sha256sum` over files generated on disk (a sparse one over 4 GiB), cancel,
// a file changed while read, a stalled reader, reload during hashing, verify, SM3, and that no
// request carries the file. Chromium 83 has neither wasm SIMD nor BYOB stream readers: there the
// tests assert the scalar core and the slice() reader instead. Run by `cargo xtask test`
// (BASE_URL, BROWSER, CHROMIUM, ARTIFACTS set).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { launchBrowser, newContext, shot, BASE, isChromium83, resetPlatform } from './browsers.mjs';

const MIB = 1024 * 1024;


/** Opens the item's one file control and picks what the next file is for (the picker that
 *  opens is left alone: the test hands the file to the input). */
async function pickFor(row, label) {
  await row.locator('.media-control button.pick-btn').click();
  await row.locator('.pick-menu').getByRole('button', { name: label }).click();
}

let browser;
let dir;
before(async () => {
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-hash-'));
});
after(async () => {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
// The demo platform stores each case's checklist record: every test starts from none.
beforeEach(resetPlatform);

/** A file of random bytes, or (sparse) of zeros allocated by truncate. */
function makeFile(name, size, sparse) {
  const p = path.join(dir, name);
  if (sparse) {
    fs.writeFileSync(p, '');
    fs.truncateSync(p, size);
  } else {
    fs.writeFileSync(p, crypto.randomBytes(size));
  }
  return p;
}

const sha256sum = (p) => execFileSync('sha256sum', [p]).toString().split(' ')[0];

async function newPage(query) {
  const context = await newContext(browser);
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() }));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/${query || '?case=overdue-av'}`);
  await page.waitForFunction(() => {
    const el = document.querySelector('law-record-checklist');
    return el && el.shadowRoot && el.shadowRoot.querySelector('.steps, .err');
  });
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<input type="file" id="probe" multiple>');
  });
  return { context, page, requests, errors };
}

/** Hashes the files at `paths` through the module's worker pool inside the page. */
async function hashInPage(page, paths, opts) {
  await page.setInputFiles('#probe', paths);
  return page.evaluate(async (o) => {
    const m = await import('/dist/law-record-checklist.js');
    const pool = m.createHashPool(o.pool || {});
    const files = Array.from(document.getElementById('probe').files);
    const out = await Promise.all(files.map((f) => pool.hash(f, { sm3: !!o.sm3 }).done));
    pool.terminate();
    return out;
  }, opts || {});
}

const widget = (page) => page.locator('law-record-checklist');
const item = (page, key) => widget(page).locator(`li.item[data-key="${key}"]`);

/** The entry rows of an item, once the widget shows `count` of them. */
async function waitEntries(page, key, pred) {
  await page.waitForFunction(([k, p]) => {
    // Right after a reload the platform may not have added the element yet.
    const root = document.querySelector('law-record-checklist')?.shadowRoot;
    const li = root?.querySelector(`li.item[data-key="${k}"]`);
    const states = li ? Array.from(li.querySelectorAll('li.file')).map((f) => f.dataset.state) : [];
    return new Function('s', `return ${p}`)(states);
  }, [key, pred], { timeout: 120000 });
}

test('NIST SHA-256 and GB/T 32905 SM3 vectors in the browser, SIMD and scalar cores', async () => {
  const { context, page, errors } = await newPage();
  const out = await page.evaluate(async (cores) => {
    const m = await import('/dist/law-record-checklist.js');
    const vectors = ['', 'abc', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 'a'.repeat(1000000)];
    const simdBytes = await (await fetch('/dist/hash-core-simd.wasm')).arrayBuffer();
    const res = { simd: m.simdSupported(), simdCoreValid: WebAssembly.validate(simdBytes) };
    // A pool left to choose takes the core the probe allows.
    const chosen = m.createHashPool({ workers: 1 });
    res.chosen = (await chosen.hash(new Blob(['abc'])).done).simd;
    chosen.terminate();
    for (const simd of cores) {
      const pool = m.createHashPool({ simd, workers: 1 });
      res[simd ? 'simdCore' : 'scalarCore'] = [];
      for (const v of vectors) {
        const r = await pool.hash(new Blob([v]), { sm3: true }).done;
        res[simd ? 'simdCore' : 'scalarCore'].push([r.sha256, r.sm3, r.simd]);
      }
      pool.terminate();
    }
    return res;
  }, isChromium83 ? [false] : [true, false]);
  if (isChromium83) {
    // SIMD arrived in Chromium 91: the probe says no, the SIMD core indeed does not validate,
    // and the pool hashes with the scalar core.
    assert.equal(out.simd, false, 'Chromium 83 has no wasm SIMD');
    assert.equal(out.simdCoreValid, false);
    assert.equal(out.chosen, false, 'the scalar core is chosen');
  } else {
    assert.equal(out.simd, true, 'this Chromium validates wasm SIMD');
    assert.equal(out.simdCoreValid, true);
    assert.equal(out.chosen, true, 'the SIMD core is chosen');
  }
  const want = [
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  ];
  for (const core of isChromium83 ? ['scalarCore'] : ['simdCore', 'scalarCore']) {
    assert.deepEqual(out[core].map((r) => r[0]), want, core);
    assert.equal(out[core][1][1], '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0', core);
    assert.equal(out[core][0][2], core === 'simdCore');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('files at chunk boundaries and over 4 GiB match sha256sum', async () => {
  const chunk = MIB;
  const sizes = [0, 1, chunk - 1, chunk, chunk + 1, 10 * chunk + 12345];
  const paths = sizes.map((n, i) => makeFile(`b${i}.bin`, n));
  const { context, page, errors } = await newPage();
  // Several files at once: the pool hashes them in parallel workers.
  const got = await hashInPage(page, paths, { pool: { chunkSize: chunk } });
  got.forEach((r, i) => {
    assert.equal(r.state, 'done', `size ${sizes[i]}`);
    assert.equal(r.sha256, sha256sum(paths[i]), `size ${sizes[i]}`);
    assert.equal(r.bytes, sizes[i]);
  });
  // The same sizes through slice(), the only reader of Chromium 83–88, where each spent buffer
  // is handed to a closed channel to free it: the digest must not notice.
  const sliced = await hashInPage(page, paths, { pool: { chunkSize: chunk, test: { noByob: true } } });
  sliced.forEach((r, i) => {
    assert.equal(r.state, 'done', `slice, size ${sizes[i]}`);
    assert.equal(r.reader, 'slice');
    assert.equal(r.sha256, sha256sum(paths[i]), `slice, size ${sizes[i]}`);
  });
  const big = makeFile('big.bin', 4 * 1024 * MIB + 4097, true);
  const [r] = await hashInPage(page, [big], {});
  assert.equal(r.state, 'done');
  // BYOB readers came after Chromium 83, which reads by slice() alone.
  assert.equal(r.reader, isChromium83 ? 'slice' : 'byob');
  assert.equal(r.sha256, sha256sum(big));
  console.log(`# 4 GiB + 4097 B sparse file: ${(r.bytes / MIB / r.seconds).toFixed(0)} MiB/s in the worker (simd ${r.simd})`);
  fs.rmSync(big);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a stalled read is caught by the watchdog and finished through slice()', async () => {
  const p = makeFile('stall.bin', 6 * MIB + 3);
  const { context, page } = await newPage();
  const [r] = await hashInPage(page, [p], { pool: { chunkSize: MIB, stallMs: 300, test: { stallAfter: 2 * MIB } } });
  assert.equal(r.state, 'done');
  assert.equal(r.reader, 'slice');
  // Chromium 83 has no BYOB reader to stall: it reads by slice() from the start, with no fallback.
  assert.equal(r.fallbacks, isChromium83 ? 0 : 1);
  assert.equal(r.sha256, sha256sum(p));
  // Without BYOB at all, slice() alone gives the same digest.
  const [s] = await hashInPage(page, [p], { pool: { chunkSize: MIB, test: { noByob: true } } });
  assert.equal(s.reader, 'slice');
  assert.equal(s.sha256, sha256sum(p));
  await context.close();
});

test('a file changed on disk while hashed is reported as changed, with no hash', async () => {
  const p = makeFile('changing.bin', 1024 * MIB, true);
  const { context, page } = await newPage();
  await page.setInputFiles('#probe', [p]);
  await page.evaluate(async () => {
    const m = await import('/dist/law-record-checklist.js');
    const pool = m.createHashPool({ workers: 1, chunkSize: 1048576 });
    window.__progress = 0;
    const f = document.getElementById('probe').files[0];
    window.__result = pool.hash(f, { onProgress: (pr) => { window.__progress = pr.bytes; } }).done;
  });
  await page.waitForFunction(() => window.__progress > 0);
  fs.appendFileSync(p, 'edited');
  const r = await page.evaluate(() => window.__result);
  assert.equal(r.state, 'changed', JSON.stringify(r));
  assert.equal(r.sha256, undefined);
  assert.ok(r.message.length > 0);
  fs.rmSync(p);
  await context.close();
});

test('an invalid chunkSize fails plainly, naming it, and a valid one then hashes the file', async () => {
  // Issue 24: a negative chunk read nothing and was reported as a file that shrank; one too big
  // for the wasm memory left the core trapping (its own regression test is in hasher/).
  const p = makeFile('after-bad-chunk.bin', 3 * MIB + 7);
  const { context, page } = await newPage();
  await page.setInputFiles('#probe', [p]);
  const results = await page.evaluate(async () => {
    const m = await import('/dist/law-record-checklist.js');
    const f = document.getElementById('probe').files[0];
    const out = [];
    for (const chunkSize of [-1, 0.5, 2 ** 31]) {
      const pool = m.createHashPool({ workers: 1, chunkSize });
      out.push(await pool.hash(f, {}).done);
      pool.terminate();
    }
    return out;
  });
  for (const r of results) {
    assert.equal(r.state, 'failed', JSON.stringify(r));
    assert.match(r.message, /chunkSize/);
  }
  const [ok] = await hashInPage(page, [p], { pool: { chunkSize: MIB } });
  assert.equal(ok.sha256, sha256sum(p));
  fs.rmSync(p);
  await context.close();
});

test('attach in the widget: item satisfied, 24 h storage checked, digests shown, verify, no request carries the file', async () => {
  const { context, page, requests, errors } = await newPage('?case=simple');
  // A case whose inspection ended ten minutes ago, on the real clock.
  const end = new Date(Date.now() - 10 * 60000);
  const bj = (d) => new Date(d.getTime() + 8 * 3600000).toISOString().slice(0, 16);
  await page.evaluate(([s, e]) => {
    const el = document.querySelector('law-record-checklist');
    el.widget.setNow(null);
    el.case = {
      id: 'HASH-T1', agency: 'changsha-zfj', procedure: 'ordinary',
      activities: [{ id: 'A1', kind: '现场检查', start: s, end: e }],
    };
  }, [bj(new Date(end.getTime() - 3600000)), bj(end)]);
  const key = '13-inspection-av@A1';
  await page.waitForFunction((k) => {
    const li = document.querySelector('law-record-checklist').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    return li && li.dataset.status === 'missing' && li.querySelector('input.media-attach');
  }, key);
  const p = makeFile('执法记录仪-01.mp4', 3 * MIB + 7);
  fs.utimesSync(p, end, end);
  const before = requests.length;
  await item(page, key).locator('input.media-attach').setInputFiles([p]);
  await waitEntries(page, key, "s.length === 1 && s[0] === 'done'");
  await page.waitForFunction((k) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`li.item[data-key="${k}"]`).dataset.status === 'satisfied', key);
  const text = await item(page, key).locator('li.file').textContent();
  assert.ok(text.includes(sha256sum(p)), text);
  const stored = item(page, `41-av-stored-24h@A1-av/执法记录仪-01.mp4`);
  assert.equal(await stored.getAttribute('data-status'), 'satisfied');
  const report = await page.evaluate(() => document.querySelector('law-record-checklist').report);
  assert.equal(report.report.gate.blocking.includes(key), false);

  // Verify: the same file matches, another does not.
  await pickFor(item(page, key), '核验文件：与本机已记录的 执法记录仪-01.mp4 的哈希对照');
  await item(page, key).locator('input.media-verify').setInputFiles([p]);
  await page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector('[data-verify="match"]'));
  assert.match(await item(page, key).locator('.verify').textContent(), /核验一致/);
  const other = makeFile('other.mp4', 3 * MIB + 7);
  await pickFor(item(page, key), '核验文件：与本机已记录的 执法记录仪-01.mp4 的哈希对照');
  await item(page, key).locator('input.media-verify').setInputFiles([other]);
  await page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector('[data-verify="mismatch"]'));
  assert.match(await item(page, key).locator('.verify').textContent(), /核验不一致/);
  await shot(page, 'hash-attached', { fullPage: true });

  // No request went out while hashing except, at most, our own static files.
  const during = requests.slice(before);
  for (const r of during) {
    assert.equal(r.method, 'GET', r.url);
    assert.equal(r.body, null, r.url);
    assert.ok(r.url.startsWith(BASE) && /\/dist\/(hash-core(-simd)?\.wasm|law-record-checklist\.hash-worker\.js)$/.test(r.url), r.url);
  }

  // A reload keeps the finished hash: the item stays satisfied from IndexedDB.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('law-record-checklist')?.widget);
  await page.evaluate(([s, e]) => {
    const el = document.querySelector('law-record-checklist');
    el.widget.setNow(null);
    el.case = { id: 'HASH-T1', agency: 'changsha-zfj', procedure: 'ordinary', activities: [{ id: 'A1', kind: '现场检查', start: s, end: e }] };
  }, [bj(new Date(end.getTime() - 3600000)), bj(end)]);
  await waitEntries(page, key, "s.length === 1 && s[0] === 'done'");
  assert.equal(await item(page, key).getAttribute('data-status'), 'satisfied');
  // Removing a finished fingerprint asks once more; then the item is missing again.
  const remove = item(page, key).locator('li.file button.remove');
  await remove.click();
  assert.match(await remove.textContent(), /确认移除/);
  assert.equal(await item(page, key).locator('li.file').count(), 1);
  await remove.click();
  await waitEntries(page, key, 's.length === 0');
  await page.waitForFunction((k) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`li.item[data-key="${k}"]`).dataset.status === 'missing', key);
  assert.deepEqual(errors, []);
  await context.close();
});

test('cancel mid-file, and a reload during hashing shows the file as interrupted', async () => {
  const p = makeFile('long.mp4', 3 * 1024 * MIB, true);
  const { context, page } = await newPage('?case=overdue-av');
  const key = '13-inspection-av@A1';
  // The platform's own file input is observed (the demo asks for it) and attaches to A1.
  await page.setInputFiles('#av-file', [p]);
  await waitEntries(page, key, "s.length === 1 && s[0] === 'hashing'");
  await page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.media-total'));
  assert.match(await widget(page).locator('.media-total').textContent(), /MB\/s/);
  await item(page, key).locator('li.file button.cancel').click();
  await waitEntries(page, key, 's.length === 0');
  // Hash again and reload before it finishes.
  await item(page, key).locator('input.media-attach').setInputFiles([p]);
  await waitEntries(page, key, "s.length === 1 && s[0] === 'hashing'");
  await page.reload();
  await waitEntries(page, key, "s.length === 1 && s[0] === 'interrupted'");
  assert.match(await item(page, key).locator('li.file').textContent(), /已中断/);
  // Removing the interrupted entry clears it for good.
  await item(page, key).locator('li.file button.remove').click();
  await waitEntries(page, key, 's.length === 0');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('law-record-checklist')?.widget);
  await page.waitForTimeout(300);
  assert.equal(await item(page, key).locator('li.file').count(), 0);
  fs.rmSync(p);
  await context.close();
});

test('without IndexedDB a file still hashes and counts, and its entry says it will not be listed after a reload', async () => {
  const context = await newContext(browser);
  // As some browser modes do: no IndexedDB at all.
  await context.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { get() { return undefined; } }); });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=complete`);
  const key = '13-inspection-av@A1';
  await page.waitForFunction((k) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`li.item[data-key="${k}"] input.media-attach`), key);
  const p = makeFile('执法记录仪-02.mp4', MIB + 3);
  await item(page, key).locator('input.media-attach').setInputFiles([p]);
  await waitEntries(page, key, "s.length === 1 && s[0] === 'done'");
  const file = item(page, key).locator('li.file');
  await file.locator('.unsaved').waitFor();
  assert.ok((await file.textContent()).includes(sha256sum(p)));
  assert.match(await file.locator('.unsaved').textContent(), /未能保存到本机.*刷新页面后不再列出/);
  assert.equal(await file.locator('.unsaved').getAttribute('role'), 'alert');
  assert.deepEqual(errors, []);
  await context.close();
});

test('SM3 beside SHA-256 when the integrator asks for it', async () => {
  const p = makeFile('sm3.mp4', 2 * MIB + 1);
  const { context, page } = await newPage('?case=overdue-av&sm3=1');
  const key = '13-inspection-av@A1';
  await item(page, key).locator('input.media-attach').setInputFiles([p]);
  await waitEntries(page, key, "s.length === 1 && s[0] === 'done'");
  const text = await item(page, key).locator('li.file').textContent();
  assert.ok(text.includes(`SHA-256 ${sha256sum(p)}`), text);
  const entries = await page.evaluate(() => document.querySelector('law-record-checklist').widget.hashing.entries());
  assert.match(entries[0].sm3, /^[0-9a-f]{64}$/);
  assert.ok(text.includes(`SM3 ${entries[0].sm3}`));
  // Compared with OpenSSL's SM3 of the same file.
  assert.equal(entries[0].sm3, crypto.createHash('sm3').update(fs.readFileSync(p)).digest('hex'));
  await page.evaluate((id) => document.querySelector('law-record-checklist').widget.hashing.remove(id), entries[0].id);
  await context.close();
});

test('a reviewer checks a file against the SHA-256 the case records', async () => {
  const p = makeFile('A1-执法记录仪-01.mp4', MIB + 5);
  const other = makeFile('copy.mp4', MIB + 5);
  const { context, page, errors } = await newPage('?case=overdue-av');
  const text = fs.readFileSync(new URL('../../pkg/demo/cases/overdue-av.json', import.meta.url), 'utf8');
  const c = JSON.parse(text);
  c.id = 'HASH-REVIEW';
  c.activities[0].records[1].media[0].sha256 = sha256sum(p);
  await page.evaluate((cs) => { document.querySelector('law-record-checklist').case = cs; }, c);
  const key = '41-av-stored-24h@V1/A1-执法记录仪-01.mp4';
  await page.waitForFunction((k) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`li.item[data-key="${k}"] .media-control`), key);
  assert.ok((await item(page, key).locator('.recorded').textContent()).includes(sha256sum(p)));
  await pickFor(item(page, key), '核验文件：对照案卷记录的哈希');
  await item(page, key).locator('input.media-check').setInputFiles([p]);
  await page.waitForFunction((k) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`li.item[data-key="${k}"] [data-verify="match"]`), key);
  await pickFor(item(page, key), '核验文件：对照案卷记录的哈希');
  await item(page, key).locator('input.media-check').setInputFiles([other]);
  await page.waitForFunction((k) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`li.item[data-key="${k}"] [data-verify="mismatch"]`), key);
  // A check is not a file of the case: the item stays as the platform's data makes it.
  assert.equal(await item(page, key).getAttribute('data-status'), 'overdue');
  assert.deepEqual(errors, []);
  await context.close();
});
