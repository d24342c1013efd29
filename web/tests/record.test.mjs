// The checklist record travels with the case: two officers in two browser contexts (separate
// storage, as two PCs) on the demo platform, whose server keeps each case's record in SQLite
// (xtask/src/platform_db.rs). In Debian's Chromium and in Chromium 83 (see browsers.mjs). Run
// by `cargo xtask test` (which serves pkg/ with a fresh database and sets BASE_URL, BROWSER,
// CHROMIUM, ARTIFACTS, DEMO_DB).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { launchBrowser, newContext, shot, acknowledge, BASE, resetPlatform } from './browsers.mjs';

// The `rules` CLI, built by `cargo xtask test`.
const RULES = process.env.RULES_BIN || path.resolve('../../target/debug/rules');
// The demo platform's database: the server's own for this run, else `cargo xtask demo`'s.
const DB = process.env.DEMO_DB || path.resolve('../../target/demo-data/platform.sqlite');
const RECEIPT = '29-direct-receipt@S1';
const AV_ITEM = '13-inspection-av@A1';

let browser;
let dir;
before(async () => {
  browser = await launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrc-record-'));
});
after(async () => {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(resetPlatform);

/** Officer `user` opens case `name` on a PC of their own (a fresh context) or in `context`. */
async function open(name, user, context) {
  const ctx = context || (await newContext(browser));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=${name}&user=${encodeURIComponent(user)}`);
  await page.waitForFunction(() => {
    const el = document.querySelector('law-record-checklist');
    return el && el.shadowRoot && el.shadowRoot.querySelector('.steps') && el.checklistRecord !== undefined;
  });
  return { context: ctx, page, errors };
}

const widget = (page) => page.locator('law-record-checklist');
const item = (page, key) => widget(page).locator(`li.item[data-key="${key}"]`);
const statusOf = (page, key) => page.evaluate((k) => document.querySelector('law-record-checklist')
  .shadowRoot.querySelector(`li.item[data-key="${k}"]`)?.dataset.status, key);
const waitStatus = (page, key, status) => page.waitForFunction(([k, s]) => document.querySelector('law-record-checklist')
  ?.shadowRoot?.querySelector(`li.item[data-key="${k}"]`)?.dataset.status === s, [key, status]);

/** The record the platform's server holds for case `name` (null when none). */
async function stored(name) {
  const r = await fetch(`${BASE}api/cases/${name}/record`);
  if (r.status === 404) { return null; }
  assert.equal(r.status, 200);
  return r.json();
}

/** Waits until the server's record satisfies `check` (the page saves asynchronously). */
async function storedWhen(name, check, what) {
  const until = Date.now() + 15000;
  let last = null;
  while (Date.now() < until) {
    last = await stored(name);
    if (last && check(last)) { return last; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the platform never stored ${what}; last: ${JSON.stringify(last && last.log.head)}`);
}

const kinds = (record) => record.log.entries.map((e) => e.event.kind);
const ackBy = (record, key) => (record.acknowledgments || []).find((a) => a.item === key);

/** `rules log verify` on a record file: exit code and output. */
function verify(record, name) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(record));
  const out = spawnSync(RULES, ['log', 'verify', file], { encoding: 'utf8' });
  return { code: out.status, text: out.stdout + out.stderr };
}

test('officer A acknowledges, hashes a file and submits with a reason; officer B on another PC sees all of it', async () => {
  // A: the overdue-AV case needs a reason at submit (the agency lowered the rule to a warning).
  const a = await open('overdue-av', '张三');
  // A file hashed on A's PC, attached to the inspection's AV item through the platform's input.
  const file = path.join(dir, 'A1-现场.mp4');
  fs.writeFileSync(file, crypto.randomBytes(256 * 1024));
  const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  await a.page.setInputFiles('#av-file', [file]);
  await storedWhen('overdue-av', (r) => (r.media || []).some((m) => m.sha256 === sha), 'the file digest');
  await a.page.click('#submit-case');
  const dialog = widget(a.page).getByRole('dialog');
  await dialog.getByLabel('仍要提交的理由').fill('执法记录仪故障，3月4日已补存入系统');
  await Promise.all([a.page.waitForURL(/submitted\.html/), dialog.getByRole('button', { name: '填写理由并提交' }).click()]);
  const afterA = await storedWhen('overdue-av', (r) => (r.reasons || []).length === 1 && kinds(r).includes('submit-allowed'),
    'the reason given at submit');
  assert.equal(afterA.reasons[0].by, '张三');
  assert.equal(afterA.reasons[0].reason, '执法记录仪故障，3月4日已补存入系统');

  // B: another PC, nothing in its browser; everything comes from the platform.
  const b = await open('overdue-av', '李四');
  await b.page.waitForFunction((s) => (document.querySelector('law-record-checklist').checklistRecord.media || [])
    .some((m) => m.sha256 === s), sha);
  const seen = await b.page.evaluate(() => document.querySelector('law-record-checklist').checklistRecord);
  assert.equal(seen.reasons[0].reason, '执法记录仪故障，3月4日已补存入系统', 'the reason, with who gave it');
  assert.equal(seen.reasons[0].by, '张三');
  assert.ok(seen.log.entries.some((e) => e.event.kind === 'media-hashed' && e.event.payload.sha256 === sha), 'A\'s log');
  // The digest is listed under the item on B's PC, as hashed elsewhere.
  assert.ok((await item(b.page, AV_ITEM).textContent()).includes(sha), 'the digest shown under its item');
  await shot(b.page, 'record-officer-b', { fullPage: true });
  assert.deepEqual(a.errors.concat(b.errors), []);
  await a.context.close();
  await b.context.close();
});

test('opening a case on another PC adds nothing to its log: no merge entry, no second pack entry', async () => {
  const a = await open('missing-receipt', '张三');
  await acknowledge(item(a.page, RECEIPT), '纸质送达回证已签收，见卷宗第12页');
  const first = await storedWhen('missing-receipt', (r) => ackBy(r, RECEIPT), "A's acknowledgment");
  const hashes = (r) => r.log.entries.map((e) => e.hash);
  assert.equal(kinds(first).filter((k) => k === 'pack-version').length, 1, kinds(first).join(','));

  // B opens it on a fresh PC and does nothing: B's widget holds the platform's record as it is.
  const b = await open('missing-receipt', '李四');
  await b.page.waitForFunction((h) => document.querySelector('law-record-checklist').checklistRecord.log.head.hash === h,
    first.log.head.hash);
  await waitStatus(b.page, RECEIPT, 'acknowledged');
  await b.page.waitForTimeout(1000);
  const seen = await b.page.evaluate(() => document.querySelector('law-record-checklist').checklistRecord);
  assert.deepEqual(hashes(seen), hashes(first), `B's log: ${kinds(seen).join(',')}`);
  const kept = await stored('missing-receipt');
  assert.deepEqual(hashes(kept), hashes(first), 'the platform stores the same entries');
  assert.deepEqual(kept.log.head, first.log.head);
  // A reload on B's PC changes nothing either.
  await b.page.reload();
  await b.page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.steps'));
  await waitStatus(b.page, RECEIPT, 'acknowledged');
  await b.page.waitForTimeout(1000);
  const reloaded = await b.page.evaluate(() => document.querySelector('law-record-checklist').checklistRecord);
  assert.deepEqual(hashes(reloaded), hashes(first), `B's log after a reload: ${kinds(reloaded).join(',')}`);
  assert.deepEqual(hashes(await stored('missing-receipt')), hashes(first));

  // What B then does continues A's chain: one more entry, still no merge entry.
  const file = path.join(dir, 'A1-补充.mp4');
  fs.writeFileSync(file, crypto.randomBytes(64 * 1024));
  const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  await b.page.setInputFiles('#av-file', [file]);
  const next = await storedWhen('missing-receipt', (r) => (r.media || []).some((m) => m.sha256 === sha), "B's file digest");
  assert.deepEqual(hashes(next).slice(0, first.log.entries.length), hashes(first));
  assert.ok(!kinds(next).includes('merged'), kinds(next).join(','));
  assert.equal(kinds(next).filter((k) => k === 'pack-version').length, 1, kinds(next).join(','));
  const v = verify(next, 'continued.json');
  assert.equal(v.code, 0, v.text);
  assert.deepEqual(a.errors.concat(b.errors), []);
  await a.context.close();
  await b.context.close();
});

test('two officers edit at once and reload: nothing lost, the merged log verifies', async () => {
  const a = await open('missing-receipt', '张三');
  const b = await open('missing-receipt', '李四');
  // Both at once, each on their own PC: A confirms the receipt, B confirms it too, differently.
  await acknowledge(item(a.page, RECEIPT), '纸质送达回证已签收，见卷宗第12页');
  await waitStatus(a.page, RECEIPT, 'acknowledged');
  await storedWhen('missing-receipt', (r) => ackBy(r, RECEIPT)?.by === '张三', "A's acknowledgment");
  // B has not reloaded: B's page does not know A's tick yet, and B writes a later one.
  await b.page.waitForTimeout(1100);
  await acknowledge(item(b.page, RECEIPT), '回证原件已交档案室，档案编号2026-15');
  // The server merged B's copy with A's: both entries, a merge entry naming both heads.
  const merged = await storedWhen('missing-receipt', (r) => kinds(r).includes('merged'), 'a merged record');
  const acks = merged.log.entries.filter((e) => e.event.kind === 'item-acknowledged').map((e) => e.event.payload.by);
  assert.deepEqual(acks.sort(), ['张三', '李四'], 'both acknowledgments in the log');
  assert.equal(ackBy(merged, RECEIPT).by, '李四', 'the later one shown');
  const v = verify(merged, 'merged.json');
  assert.equal(v.code, 0, v.text);
  assert.ok(v.text.includes('合并记录'), v.text);

  // Both reload: each sees the same, the conflict said in Chinese.
  await a.page.reload();
  await a.page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.steps'));
  await a.page.waitForFunction((k) => {
    const li = document.querySelector('law-record-checklist').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    return li && li.textContent.includes('档案编号2026-15');
  }, RECEIPT);
  const notice = await widget(a.page).locator('.record-notice').textContent();
  assert.ok(notice.includes('两处确认不一致') && notice.includes('张三') && notice.includes('李四'), notice);
  await shot(a.page, 'record-merged-conflict', { fullPage: true });
  await b.page.reload();
  await waitStatus(b.page, RECEIPT, 'acknowledged');
  assert.ok((await item(b.page, RECEIPT).textContent()).includes('档案编号2026-15'));
  const final = await storedWhen('missing-receipt', (r) => kinds(r).filter((k) => k === 'item-acknowledged').length >= 2,
    'the record after both reloads');
  const again = verify(final, 'final.json');
  assert.equal(again.code, 0, again.text);
  // The same report on any PC, and from the CLI with the record the platform stores.
  const fromCli = (record) => {
    const file = path.join(dir, 'for-check.json');
    fs.writeFileSync(file, JSON.stringify(record));
    const out = spawnSync(RULES, ['check', path.resolve('../../pkg/demo/cases/missing-receipt.json'), '--record', file,
      '--config', path.resolve('../../pkg/demo/agency-config.json'), '--now', '2026-03-25T10:00', '--format', 'json'],
    { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stdout + out.stderr);
    return JSON.parse(out.stdout);
  };
  const statuses = (report) => report.steps.flatMap((st) => st.items.map((i) => `${i.key}=${i.status}`)).sort();
  const cli = fromCli(await stored('missing-receipt'));
  assert.ok(statuses(cli).includes(`${RECEIPT}=acknowledged`), statuses(cli).join(' '));
  for (const p of [a.page, b.page]) {
    const r = await p.evaluate(() => document.querySelector('law-record-checklist').report.report);
    assert.deepEqual(statuses(r), statuses(cli));
    assert.deepEqual(r.gate, cli.gate);
  }
  // What each page took from the platform continued its own stored log: no warning that the
  // log on this PC could not be written (an append-only store needs its entries first).
  for (const p of [a.page, b.page]) {
    await p.waitForTimeout(300);
    const warned = await p.evaluate(() => Array.from(document.querySelector('law-record-checklist').shadowRoot
      .querySelectorAll('.log-storage, .log-warning')).map((x) => x.textContent));
    assert.deepEqual(warned, []);
  }
  // Every entry either officer's widget holds is in what the platform stores.
  for (const p of [a.page, b.page]) {
    const mine = await p.evaluate(() => document.querySelector('law-record-checklist').checklistRecord);
    const have = new Set((await stored('missing-receipt')).log.entries.map((e) => e.hash));
    const missing = mine.log.entries.filter((e) => !have.has(e.hash));
    // A page may be a step ahead of the server; it saves that step, and nothing is dropped.
    if (missing.length) {
      await storedWhen('missing-receipt', (r) => missing.every((m) => r.log.entries.some((e) => e.hash === m.hash)),
        'every entry of the page');
    }
  }
  await a.context.close();
  await b.context.close();
});

test('a record tampered with in the platform database is refused and shown; the local copy is kept', async () => {
  const a = await open('missing-receipt', '张三');
  await acknowledge(item(a.page, RECEIPT), '纸质送达回证已签收，见卷宗第12页');
  await storedWhen('missing-receipt', (r) => ackBy(r, RECEIPT), "A's acknowledgment");
  // Someone edits the note in the database without recomputing the chain.
  execFileSync('sqlite3', [DB, "UPDATE records SET body = replace(body, '见卷宗第12页', '见卷宗第99页') WHERE name = 'missing-receipt'"]);
  const tampered = await stored('missing-receipt');
  assert.ok(JSON.stringify(tampered).includes('第99页'));
  const cli = verify(tampered, 'tampered.json');
  assert.equal(cli.code, 1, cli.text);
  assert.ok(cli.text.includes('内容被修改'), cli.text);

  // A reloads: the platform's copy is refused with the reason; A's own tick still counts.
  await a.page.reload();
  await a.page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.record-notice'));
  const notice = await widget(a.page).locator('.record-notice').textContent();
  assert.ok(notice.includes('收到的清单记录已被拒绝') && notice.includes('未通过校验'), notice);
  assert.ok(notice.includes('本机记录保持不变'), notice);
  await waitStatus(a.page, RECEIPT, 'acknowledged');
  // The platform does not overwrite its damaged copy, and the page says it could not save.
  await a.page.waitForFunction(() => document.getElementById('record-status').textContent.includes('平台未能保存清单记录'));
  await shot(a.page, 'record-tampered', { fullPage: true });

  // B, on a fresh PC, gets the refusal too, and nothing of the tampered record.
  const b = await open('missing-receipt', '李四');
  await b.page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.record-notice'));
  assert.equal(await statusOf(b.page, RECEIPT), 'missing');
  await a.context.close();
  await b.context.close();
});

test('a record of another case, or of an unknown version, is refused by name', async () => {
  const a = await open('missing-receipt', '张三');
  const w = await a.page.evaluate(() => {
    const el = document.querySelector('law-record-checklist');
    const mine = el.checklistRecord;
    const other = Object.assign({}, mine, { case_id: '别的案件〔2026〕1号' });
    const v9 = Object.assign({}, mine, { format: 'law-record-checklist/9' });
    return {
      other: el.widget.setChecklistRecord(other),
      v9: el.widget.setChecklistRecord(v9),
      junk: el.widget.setChecklistRecord('{"format": "law-record-checklist/1", "case_id": 7}'),
    };
  });
  assert.equal(w.other.type, 'failure');
  assert.equal(w.other.error.code, 'record-refused');
  assert.ok(w.other.error.message.includes('别的案件〔2026〕1号'), w.other.error.message);
  assert.ok(w.v9.error.message.includes('law-record-checklist/9'), w.v9.error.message);
  assert.ok(w.junk.error.message.includes('case_id'), w.junk.error.message);
  assert.ok((await widget(a.page).locator('.record-notice').textContent()).includes('收到的清单记录已被拒绝'));
  await a.context.close();
});

test('the reviewer\'s read-only view: who, when and what; digests checked against a file; the log verified', async () => {
  const a = await open('missing-receipt', '张三');
  await acknowledge(item(a.page, RECEIPT), '纸质送达回证已签收，见卷宗第12页');
  const file = path.join(dir, 'A1-复核.mp4');
  fs.writeFileSync(file, crypto.randomBytes(128 * 1024));
  const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  await a.page.setInputFiles('#av-file', [file]);
  await storedWhen('missing-receipt', (r) => ackBy(r, RECEIPT) && (r.media || []).some((m) => m.sha256 === sha),
    "A's acknowledgment and digest");

  // The 法制审核 reviewer, on a PC of their own, with the platform's record.
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=missing-receipt&review=1&user=${encodeURIComponent('王科长')}`);
  await page.waitForFunction((s) => document.querySelector('law-record-checklist')?.shadowRoot
    ?.querySelector(`.review-panel .review-media li[data-sha256="${s}"]`), sha);
  const panel = widget(page).locator('.review-panel');
  const text = await panel.textContent();
  assert.ok(text.includes('审阅模式（只读）'), text);
  // Items are named as the checklist names them (step, title, what it applies to), not by key.
  const named = (key) => page.evaluate((k) => {
    const li = document.querySelector('law-record-checklist').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    const step = li.closest('li.step').querySelector('.step-btn span:nth-child(2)').textContent;
    return `「${step}」${li.querySelector('.title').textContent}（${k.split('@')[1]}）`;
  }, key);
  const receipt = await named(RECEIPT);
  assert.ok(receipt.startsWith('「送达」') && receipt.includes('送达回证'), receipt);
  assert.ok(text.includes(`${receipt}：张三 于 2026-03-25 10:00 确认 —— 纸质送达回证已签收，见卷宗第12页`), text);
  assert.ok(text.includes(`${await named(AV_ITEM)}：A1-复核.mp4`), text);
  assert.ok(!text.includes(RECEIPT) && !text.includes(AV_ITEM), `no item keys shown: ${text}`);
  assert.ok(text.includes(sha), text);
  const head = await page.evaluate(() => document.querySelector('law-record-checklist').widget.exportLog());
  assert.ok(text.includes('操作日志哈希链校验通过') && text.includes(JSON.parse(head).head.hash), text);
  // Read-only: the item counts as A acknowledged it, and nothing offers to change that.
  assert.equal(await statusOf(page, RECEIPT), 'acknowledged');
  assert.equal(await item(page, RECEIPT).getByRole('button', { name: '撤销确认' }).isVisible(), false);
  const attach = item(page, AV_ITEM).locator('.media-control');
  assert.ok((await attach.count()) > 0, 'the item has its file controls');
  assert.equal(await attach.first().isVisible(), false, 'hidden in review');
  // 核验文件: the reviewer's copy of the footage matches; another file does not.
  await panel.locator(`li[data-sha256="${sha}"] input.review-check`).setInputFiles([file]);
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.review-panel .verdict.ok'));
  assert.ok((await panel.locator('.verdict.ok').textContent()).includes('核验一致'));
  const other = path.join(dir, 'other.mp4');
  fs.writeFileSync(other, crypto.randomBytes(128 * 1024));
  await panel.locator(`li[data-sha256="${sha}"] input.review-check`).setInputFiles([other]);
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.review-panel .verdict.bad'));
  assert.ok((await panel.locator('.verdict.bad').textContent()).includes('核验不一致'));
  await shot(page, 'record-review', { fullPage: true });
  // The review page hands nothing back: the stored record is still A's.
  const after = await stored('missing-receipt');
  assert.ok(!JSON.stringify(after).includes('王科长'), 'nothing of the reviewer in the record');
  assert.deepEqual(errors, []);
  await a.context.close();
  await context.close();
});

/** The entry's hash as the log makes it: SHA-256 of the compact JSON of seq, at, event, prev. */
const entryHash = (e) => crypto.createHash('sha256')
  .update(JSON.stringify({ seq: e.seq, at: e.at, event: e.event, prev: e.prev })).digest('hex');

test('the platform signs each head it stores; the print view shows it; an insider\'s rewrite fails with the key', async () => {
  const key = await (await fetch(`${BASE}api/signing-key`)).json();
  assert.equal(key.algorithm, 'Ed25519');
  assert.match(key.public_key, /^[0-9a-f]{64}$/);
  if (process.env.DEMO_KEY) { assert.equal(key.public_key, process.env.DEMO_KEY, 'the key the server printed'); }
  const a = await open('missing-receipt', '张三');
  await acknowledge(item(a.page, RECEIPT), '纸质送达回证已签收，见卷宗第12页');
  const signed = await storedWhen('missing-receipt',
    (r) => ackBy(r, RECEIPT) && r.log.signature && r.log.signature.count === r.log.head.count, 'a signed head');
  assert.equal(signed.log.signature.hash, signed.log.head.hash);
  assert.equal(signed.log.signature.key, key.public_key);
  assert.equal(signed.log.signature.signer, key.signer);
  const file = path.join(dir, 'signed.json');
  fs.writeFileSync(file, JSON.stringify(signed));
  const good = spawnSync(RULES, ['log', 'verify', file, '--key', key.public_key], { encoding: 'utf8' });
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.ok(good.stdout.includes('平台签名核验通过'), good.stdout);

  // The widget takes the signed record back from the platform, and its 核查表 prints head,
  // signature and who signed; checking it is left to the key the reader trusts.
  await a.page.reload();
  await waitStatus(a.page, RECEIPT, 'acknowledged');
  await a.page.waitForFunction(() => document.querySelector('law-record-checklist').checklistRecord?.log?.signature);
  const w = widget(a.page);
  await w.getByRole('button', { name: '核查表' }).click();
  const html = await w.getByRole('dialog').locator('iframe.sheet-frame').getAttribute('srcdoc');
  const sig = (await a.page.evaluate(() => document.querySelector('law-record-checklist').checklistRecord)).log.signature;
  for (const want of ['平台签名', `${key.signer} 于`, sig.signature, key.public_key, sig.hash, '本表未核验签名']) {
    assert.ok(html.includes(want), `the sheet lacks ${want}`);
  }
  const sheet = a.page.frameLocator('law-record-checklist >> iframe.sheet-frame');
  await sheet.locator('th', { hasText: '平台签名' }).scrollIntoViewIfNeeded();
  await shot(a.page, 'record-signed-sheet');

  // An insider with the database rewrites the note and recomputes the whole chain and head.
  const forged = JSON.parse(JSON.stringify(await stored('missing-receipt')));
  let prev = null;
  for (const e of forged.log.entries) {
    if (e.event.kind === 'item-acknowledged' && e.event.payload.item === RECEIPT) {
      e.event.payload.note = '邮寄送达回执，见卷宗第13页';
    }
    if (prev !== null) { e.prev = prev; }
    e.hash = entryHash(e);
    prev = e.hash;
  }
  forged.acknowledgments.find((x) => x.item === RECEIPT).note = '邮寄送达回执，见卷宗第13页';
  forged.log.head.hash = prev;
  const run = (record, name, args) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, JSON.stringify(record));
    const out = spawnSync(RULES, ['log', 'verify', f, ...args], { encoding: 'utf8' });
    return { code: out.status, text: out.stdout + out.stderr };
  };
  // Keeping the platform's signature, the log no longer reaches the head it signed, key or not.
  const kept = run(forged, 'forged-kept.json', ['--key', key.public_key]);
  assert.equal(kept.code, 1, kept.text);
  assert.ok(kept.text.includes('与平台签名的日志头不符'), kept.text);
  // Taking the signature out: the keyless chain passes (and says what it cannot prove) …
  const bare = Object.assign({}, forged, { log: Object.assign({}, forged.log) });
  delete bare.log.signature;
  const keyless = run(bare, 'forged-bare.json', []);
  assert.equal(keyless.code, 0, keyless.text);
  assert.ok(keyless.text.includes('它不能证明日志未被改写'), keyless.text);
  // … and with the platform's key it fails.
  const keyed = run(bare, 'forged-bare-key.json', ['--key', key.public_key]);
  assert.equal(keyed.code, 1, keyed.text);
  assert.ok(keyed.text.includes('没有平台对日志头的签名'), keyed.text);
  // The same rewrite stored in the platform's database is refused by the widget.
  const body = JSON.stringify(forged).replaceAll("'", "''");
  execFileSync('sqlite3', [DB, `UPDATE records SET body = '${body}' WHERE name = 'missing-receipt'`]);
  const b = await open('missing-receipt', '李四');
  await b.page.waitForFunction(() => document.querySelector('law-record-checklist')?.shadowRoot?.querySelector('.record-notice'));
  const notice = await widget(b.page).locator('.record-notice').textContent();
  assert.ok(notice.includes('平台签名') && notice.includes('已被拒绝'), notice);
  await shot(b.page, 'record-signed-rewrite-refused', { fullPage: true });
  assert.deepEqual(a.errors.concat(b.errors), []);
  await a.context.close();
  await b.context.close();
});
