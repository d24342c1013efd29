// The widget in V8 8.3, the engine of Chromium 83 (奇安信 / 360 cores): Node 14.5 from npm,
// with jsdom 16 for the DOM. Loads the built package as shipped (pkg/dist), mounts the
// widget, renders a checklist, evaluates a case, and checks the submit gate's wiring.
// Plain assertions (Node 14.5 has no node:test); any failure exits non-zero.
import fs from 'fs';
import path from 'path';
import assert from 'assert';
import { pathToFileURL } from 'url';
import { installDom } from './dom.mjs';
const DIST = process.env.DIST;
const CASES = process.env.CASES;
assert.ok(DIST && CASES, 'DIST and CASES must be set');
assert.ok(process.versions.v8.startsWith('8.3.'), `expected V8 8.3, got ${process.versions.v8}`);

const win = installDom('<!doctype html><html><body><form id="f"><button id="b" type="submit">提交</button></form></body></html>');

const caseText = (name) => fs.readFileSync(path.join(CASES, `${name}.json`), 'utf8');
const tick = () => new Promise((r) => setTimeout(r, 5));
// Yew renders on its scheduler: wait (bounded) until the DOM shows what is expected.
async function until(check) {
  for (let i = 0; i < 400 && !check(); i++) { await tick(); }
  return check();
}

async function main() {
  const mod = await import(pathToFileURL(path.join(DIST, 'law-record-checklist.js')).href);
  const api = await mod.load(fs.readFileSync(path.join(DIST, 'checklist_bg.wasm')));

  // Evaluate without rendering.
  const r = api.evaluate(JSON.parse(caseText('missing-receipt')), { now: '2026-03-25T10:00' });
  assert.strictEqual(r.type, 'success');
  assert.strictEqual(r.report.gate.allowed, false);
  assert.deepStrictEqual(r.report.gate.blocking, ['29-direct-receipt@S1']);
  const bad = api.evaluate(caseText('malformed'), {});
  assert.strictEqual(bad.type, 'failure');
  assert.ok(bad.error.message.includes('activities[0].start'), bad.error.message);

  // Mount through the JS API and render a checklist.
  const host = document.createElement('div');
  document.body.appendChild(host);
  const w = api.mount(host, { case: JSON.parse(caseText('complete')), now: '2026-03-25T10:00' });
  await until(() => host.shadowRoot && host.shadowRoot.querySelector('.steps'));
  const root = host.shadowRoot;
  assert.ok(root, 'shadow root');
  const steps = Array.from(root.querySelectorAll('.step-btn')).map((b) => b.textContent);
  assert.ok(steps.some((s) => s.includes('送达')), `steps: ${steps}`);
  assert.strictEqual(root.querySelector('.gate').textContent, '可以提交');

  // Switch case: the checklist follows.
  w.setCase(JSON.parse(caseText('missing-receipt')));
  // The complete case has this item too (satisfied): wait for the new case's state.
  await until(() => root.querySelector('.gate').textContent !== '可以提交');
  const item = root.querySelector('li.item[data-key="29-direct-receipt@S1"]');
  assert.ok(item, 'receipt item rendered');
  assert.strictEqual(item.getAttribute('data-status'), 'missing');

  // The officer ticks it: the engine counts it, and it is stored.
  const box = item.querySelector('input[type=checkbox]');
  box.click();
  await until(() => root.querySelector('li.item[data-key="29-direct-receipt@S1"]').getAttribute('data-status') === 'satisfied');
  assert.strictEqual(root.querySelector('li.item[data-key="29-direct-receipt@S1"]').getAttribute('data-status'), 'satisfied');
  assert.ok(Object.keys(localStorage).some((k) => localStorage.getItem(k).includes('29-direct-receipt@S1')));
  // jsdom has no IndexedDB: the case log falls back to localStorage, and the widget says so.
  const logKey = `law-record-checklist:v1:${JSON.parse(caseText('missing-receipt')).id}#log`;
  await until(() => root.querySelector('.log-storage') && (localStorage.getItem(logKey) || '').includes('item-acknowledged'));
  assert.ok(root.querySelector('.log-storage').textContent.includes('IndexedDB'), 'the log storage warning');
  assert.ok(JSON.parse(localStorage.getItem(logKey)).entries.some((e) => e.event.kind === 'item-acknowledged'));

  // The custom element mounts too.
  // Created after load(): an element connected before it would fetch the wasm itself.
  const el = document.createElement('law-record-checklist');
  el.setAttribute('agency', 'changsha-zfj');
  el.setAttribute('now', '2026-03-25T10:00');
  document.body.appendChild(el);
  el.case = JSON.parse(caseText('overdue-av'));
  const w2 = await el.ready;
  await until(() => el.shadowRoot.querySelector('li.item[data-status="overdue"]'));
  assert.strictEqual(w2.report().type, 'success');
  assert.ok(el.shadowRoot.querySelector('li.item[data-status="overdue"]'), 'overdue item rendered');

  // The guard stops a blocked submit in the capture phase.
  w.setCase(JSON.parse(caseText('missing-receipt')));
  w.guardSubmit(document.getElementById('f'));
  w.setCase(JSON.parse(caseText('missing-receipt').replace('"id": "长住建罚〔2026〕15号"', '"id": "V8-83-guard"')));
  let hostSaw = false;
  document.getElementById('f').addEventListener('submit', (e) => { hostSaw = true; e.preventDefault(); });
  let blocked = null;
  host.addEventListener('submit-blocked', (e) => { blocked = e.detail; });
  const ev = new win.Event('submit', { bubbles: true, cancelable: true });
  document.getElementById('f').dispatchEvent(ev);
  await until(() => root.querySelector('[role=dialog]'));
  assert.strictEqual(hostSaw, false, "the host's handler must not run");
  assert.ok(ev.defaultPrevented);
  assert.ok(blocked && blocked.blocking[0].citation.article === '第二十九条');
  assert.ok(root.querySelector('[role=dialog]'), 'modal shown');

  // The hashing core as Chromium 83 gets it: the SIMD probe and the SIMD core are refused,
  // so the scalar core is chosen, and it runs here (SHA-256 and SM3 of "abc").
  assert.strictEqual(mod.simdSupported(), false, 'V8 8.3 must not validate the SIMD probe');
  assert.strictEqual(WebAssembly.validate(fs.readFileSync(path.join(DIST, 'hash-core-simd.wasm'))), false);
  const core = (await WebAssembly.instantiate(fs.readFileSync(path.join(DIST, 'hash-core.wasm')), {})).instance.exports;
  core.hasher_start(1);
  const input = core.hasher_input(3); // may grow the memory: take the buffer after it
  new Uint8Array(core.memory.buffer, input, 3).set([97, 98, 99]);
  assert.strictEqual(core.hasher_update(3), 1);
  const output = core.hasher_finish();
  const digest = Buffer.from(new Uint8Array(core.memory.buffer, output, 64)).toString('hex');
  assert.strictEqual(digest.slice(0, 64), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.strictEqual(digest.slice(64), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  // The worker is a classic script: it must parse in this engine.
  new Function(fs.readFileSync(path.join(DIST, 'law-record-checklist.hash-worker.js'), 'utf8'));
  // The AV item offers the file picker once the hashing is connected.
  await until(() => el.shadowRoot.querySelector('input.media-attach'));
  assert.ok(el.shadowRoot.querySelector('input.media-attach'), 'attach input rendered');

  console.log(`V8 ${process.versions.v8}: widget loaded, mounted, rendered, evaluated, guarded; scalar hashing core runs`);
}

main().then(() => process.exit(0), (e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
