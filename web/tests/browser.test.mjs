// Real-browser tests of the widget inside the mock platform, in Debian's Chromium and in
// Chromium 83 (see browsers.mjs). Run by `cargo xtask test` (which serves pkg/ and sets
// BASE_URL, BROWSER, CHROMIUM, ARTIFACTS).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newContext, shot as snap, acknowledge, retract, BASE, isChromium83, resetPlatform } from './browsers.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });
// The demo platform stores each case's checklist record: every test starts from none.
beforeEach(resetPlatform);

async function newPage(viewport) {
  const context = await newContext(browser, { viewport: viewport || { width: 1280, height: 720 } });
  await context.addInitScript(() => {
    window.__events = [];
    ['report-change', 'submit-blocked', 'submit-allowed'].forEach((n) => {
      document.addEventListener(n, (e) => window.__events.push({ type: n, detail: e.detail }), true);
    });
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, requests, errors };
}

const widget = (page) => page.locator('law-record-checklist');

async function open(page, name, extra) {
  await page.goto(`${BASE}demo/?case=${name}${extra || ''}`);
  // Rendered once the shadow root holds the checklist or an error.
  await page.waitForFunction(() => {
    const el = document.querySelector('law-record-checklist');
    return el && el.shadowRoot && el.shadowRoot.querySelector('.steps, .err');
  });
}

const item = (page, key) => widget(page).locator(`li.item[data-key="${key}"]`);
const shot = (page, name) => snap(page, name, { fullPage: true });
const RECEIPT = '29-direct-receipt@S1';
const AV = '41-av-stored-24h@V1/A1-执法记录仪-01.mp4';

test('the checklist renders for each sample case', async () => {
  const { context, page, errors } = await newPage();
  const expect = {
    complete: { gate: '可以提交', steps: ['立案', '调查取证', '审查决定', '送达', '执行', '归档'] },
    'missing-receipt': { gate: '1 项阻止提交', key: RECEIPT, status: 'missing' },
    'overdue-av': { gate: '可以提交', key: AV, status: 'overdue' },
    simple: { gate: '可以提交', has: ['调查取证', '审查决定', '归档'], lacks: ['送达'] },
  };
  for (const [name, e] of Object.entries(expect)) {
    await open(page, name);
    const w = widget(page);
    assert.equal((await w.locator('.gate').textContent()).trim(), e.gate, name);
    const steps = await w.locator('.step-btn > span:nth-child(2)').allTextContents();
    if (e.steps) { assert.deepEqual(steps, e.steps, name); }
    (e.has || []).forEach((s) => assert.ok(steps.includes(s), `${name}: ${steps}`));
    (e.lacks || []).forEach((s) => assert.ok(!steps.includes(s), `${name}: ${steps}`));
    if (e.key) {
      assert.equal(await item(page, e.key).getAttribute('data-status'), e.status, name);
    }
    // Strength in the officer's words, counts per step.
    assert.ok((await w.locator('.item .tags').first().textContent()).includes('必须'), name);
    assert.match(await w.locator('.step-btn .count').first().textContent(), /已完成 \d+\/\d+/);
    await shot(page, `sample-${name}`);
  }
  // Overdue items say how late they are.
  await open(page, 'overdue-av');
  assert.match(await item(page, AV).textContent(), /已超期 \d+ 天/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the citation is one click away', async () => {
  const { context, page } = await newPage();
  await open(page, 'missing-receipt');
  const row = item(page, RECEIPT);
  const toggle = row.getByRole('button', { name: '查看依据' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  const cite = row.locator('blockquote.cite');
  assert.ok((await cite.textContent()).includes('第二十九条'));
  assert.ok((await cite.textContent()).includes('直接送达行政执法文书的,应当制作《送达回证》'));
  assert.equal(await row.getByRole('button', { name: '收起依据' }).getAttribute('aria-expanded'), 'true');
  await shot(page, 'citation');
  await context.close();
});

test('adding a record on the host page updates the item', async () => {
  const { context, page } = await newPage();
  await open(page, 'missing-receipt');
  assert.equal(await item(page, RECEIPT).getAttribute('data-status'), 'missing');
  await page.selectOption('#upload-kind', '送达回证');
  await page.selectOption('#upload-owner', 'S1');
  await page.click('#upload-add');
  await page.waitForFunction((key) => {
    const li = document.querySelector('law-record-checklist').shadowRoot.querySelector(`li.item[data-key="${key}"]`);
    return li && li.dataset.status === 'satisfied';
  }, RECEIPT);
  assert.ok((await item(page, RECEIPT).textContent()).includes('U1'), 'names the record that satisfied it');
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '可以提交');
  const changes = await page.evaluate(() => window.__events.filter((e) => e.type === 'report-change').length);
  assert.ok(changes >= 2, `report-change fired ${changes} times`);
  await shot(page, 'record-added');
  await context.close();
});

test('a submit with a blocking item is stopped and lists citations', async () => {
  const { context, page } = await newPage();
  await open(page, 'missing-receipt');
  const url = page.url();
  await page.click('#submit-case');
  const dialog = widget(page).getByRole('dialog');
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert.ok(text.includes('不能提交'));
  assert.ok(text.includes('第二十九条'), 'the article');
  assert.ok(text.includes('应当制作《送达回证》'), 'the quote');
  assert.equal(page.url(), url, 'no navigation');
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null, "the host's handler did not run");
  const blocked = await page.evaluate(() => window.__events.find((e) => e.type === 'submit-blocked'));
  assert.equal(blocked.detail.blocking[0].key, RECEIPT);
  assert.equal(blocked.detail.blocking[0].citation.article, '第二十九条');
  // Focus lands in the dialog; Escape closes it.
  assert.equal(await page.evaluate(() => document.querySelector('law-record-checklist').shadowRoot.activeElement.textContent), '返回补充');
  await shot(page, 'blocked');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // Back where the officer was: on the platform's submit button.
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'submit-case');
  await context.close();
});

test('the warning path needs a reason, keeps it, then submits', async () => {
  const { context, page } = await newPage();
  await open(page, 'overdue-av');
  await page.click('#submit-case');
  const dialog = widget(page).getByRole('dialog');
  await dialog.waitFor();
  assert.ok((await dialog.textContent()).includes('第四十一条'));
  await dialog.getByRole('button', { name: '填写理由并提交' }).click();
  assert.ok((await dialog.locator('.bad').textContent()).includes('请填写'), 'a blank reason is refused');
  assert.equal(await page.getAttribute('body', 'data-host-submitted'), null);
  await dialog.getByLabel('仍要提交的理由').fill('已补。');
  await dialog.getByRole('button', { name: '填写理由并提交' }).click();
  assert.ok((await dialog.locator('.bad').textContent()).includes('理由太简短'), 'a reason of two characters is refused');
  await dialog.getByLabel('仍要提交的理由').fill('执法记录仪故障，3月4日已补存');
  await shot(page, 'warning-reason');
  await Promise.all([page.waitForURL(/submitted\.html/), dialog.getByRole('button', { name: '填写理由并提交' }).click()]);
  assert.ok(page.url().includes('case='), 'the host form submitted its own fields');
  const kept = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
  assert.ok(kept.includes('执法记录仪故障，3月4日已补存'), 'the reason is kept');
  // Back on the case, the warning shows the reason given for it.
  await page.goBack();
  await open(page, 'overdue-av');
  await page.waitForFunction((k) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${k}"] .given-reason`), AV);
  assert.match(await item(page, AV).locator('.given-reason').textContent(), /提交时说明的理由（.*）：执法记录仪故障，3月4日已补存/);
  await context.close();
});

test('a clean case submits untouched', async () => {
  const { context, page } = await newPage();
  await open(page, 'complete');
  await Promise.all([page.waitForURL(/submitted\.html/), page.click('#submit-case')]);
  await context.close();
});

test('acknowledgments survive a reload', async () => {
  const { context, page } = await newPage();
  await open(page, 'missing-receipt');
  await acknowledge(item(page, RECEIPT), '纸质送达回证已签收，见卷宗第12页');
  await page.waitForFunction((key) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${key}"]`).dataset.status === 'acknowledged', RECEIPT);
  const text = await item(page, RECEIPT).textContent();
  assert.ok(text.includes('人工确认') && text.includes('纸质送达回证已签收，见卷宗第12页'), text);
  assert.ok(!text.includes('已满足'), 'the officer\'s word is not shown as a record');
  await page.reload();
  await page.waitForFunction((key) => {
    const el = document.querySelector('law-record-checklist');
    const li = el && el.shadowRoot && el.shadowRoot.querySelector(`li.item[data-key="${key}"]`);
    return li && li.dataset.status === 'acknowledged';
  }, RECEIPT);
  assert.ok((await item(page, RECEIPT).textContent()).includes('纸质送达回证已签收，见卷宗第12页'), 'the note too');
  await shot(page, 'ack-after-reload');
  // Taking it back goes back to missing, and that survives a reload too.
  await retract(item(page, RECEIPT));
  await page.reload();
  await open(page, 'missing-receipt');
  assert.equal(await item(page, RECEIPT).getAttribute('data-status'), 'missing');
  await context.close();
});

test('with the browser storage disabled, a tick still counts and the officer is told it lasts only as long as the page', async () => {
  const { context, page, errors } = await newPage();
  // As some browser modes do: any use of localStorage throws.
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
    });
  });
  await open(page, 'missing-receipt');
  assert.equal(await widget(page).locator('.storage-warning').count(), 0, 'nothing to lose yet');
  await acknowledge(item(page, RECEIPT));
  await page.waitForFunction((key) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${key}"]`).dataset.status === 'acknowledged', RECEIPT);
  const warning = widget(page).locator('.storage-warning');
  await warning.waitFor();
  assert.equal(await warning.getAttribute('role'), 'alert');
  assert.match(await warning.textContent(), /本机存储不可用.*刷新或关闭页面后需要重新填写/);
  await shot(page, 'storage-disabled');
  assert.deepEqual(errors, []);
  await context.close();
});

test('host CSS does not leak in, and ours does not leak out', async () => {
  const { context, page } = await newPage();
  await open(page, 'missing-receipt');
  const style = await page.evaluate(() => {
    const root = document.querySelector('law-record-checklist').shadowRoot;
    const cs = (el) => getComputedStyle(el);
    const li = root.querySelector('li.item');
    const btn = root.querySelector('.step-btn');
    const tag = root.querySelector('.tag');
    const host = document.getElementById('submit-case');
    return {
      liColor: cs(li).color, liFont: cs(li).fontSize, liFamily: cs(li).fontFamily, liSpacing: cs(li).letterSpacing,
      btnBg: cs(btn).backgroundColor, tagDisplay: cs(tag).display,
      hostBtnDisplay: cs(host).display, hostBtnBg: cs(host).backgroundColor,
    };
  });
  assert.notEqual(style.liColor, 'rgb(204, 0, 0)');
  assert.notEqual(style.liFont, '18px');
  assert.equal(style.liSpacing, 'normal', 'inherited host letter-spacing');
  assert.ok(!style.liFamily.includes('SimSun'), style.liFamily);
  assert.notEqual(style.btnBg, 'rgb(255, 0, 255)');
  assert.notEqual(style.tagDisplay, 'none');
  // The host's own button has class "item": our `.item` grid must not reach it.
  assert.notEqual(style.hostBtnDisplay, 'grid');
  assert.equal(style.hostBtnBg, 'rgb(255, 0, 255)');
  await context.close();
});

test('a malformed case shows the error, and the host still submits its form once a reason is given', async () => {
  const { context, page, errors } = await newPage();
  await open(page, 'malformed');
  const alert = widget(page).getByRole('alert').first();
  const text = await alert.textContent();
  assert.ok(text.includes('平台提供的案件数据格式有误'), text);
  assert.ok(text.includes('activities[0].start'), text);
  await shot(page, 'malformed');
  // Unchecked, the agency's default policy asks a reason (guard.test.mjs tries each policy).
  await page.click('#submit-case');
  const dialog = widget(page).getByRole('dialog');
  await dialog.getByLabel('未经检查仍要提交的理由').fill('平台数据格式调整中，纸质案卷已齐全');
  await Promise.all([page.waitForURL(/submitted\.html/), dialog.getByRole('button', { name: '填写理由并提交' }).click()]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unknown agency is shown inside the widget', async () => {
  const { context, page } = await newPage();
  await open(page, 'complete');
  await page.evaluate(() => document.querySelector('law-record-checklist').setAttribute('agency', 'nowhere-zfj'));
  const alert = widget(page).getByRole('alert').first();
  assert.ok((await alert.textContent()).includes('nowhere-zfj'));
  await context.close();
});

test('no network request leaves 127.0.0.1', async () => {
  const { context, page, requests } = await newPage();
  await open(page, 'missing-receipt');
  await item(page, RECEIPT).getByRole('button', { name: '查看依据' }).click();
  await page.click('#submit-case');
  await widget(page).getByRole('dialog').waitFor();
  assert.ok(requests.length > 3, 'requests were observed');
  const outside = requests.filter((u) => !u.startsWith(BASE));
  assert.deepEqual(outside, []);
  const wasm = requests.filter((u) => u.endsWith('.wasm'));
  assert.equal(wasm.length, 1, 'the widget loads its wasm once');
  await context.close();
});

test('the widget\'s files arrive precompressed, with their type and a validator; the wasm once, kept for good', async () => {
  const { context, page } = await newPage();
  const seen = {};
  const wasmRequests = [];
  page.on('request', (r) => { if (/\.wasm$/.test(r.url().split('?')[0]) && r.url().includes('/dist/')) wasmRequests.push(r.url()); });
  page.on('response', async (r) => {
    const name = r.url().split('?')[0].split('/').pop();
    if (/\.(js|wasm)$/.test(name) && r.url().includes('/dist/')) {
      seen[name] = await r.allHeaders();
    }
  });
  await open(page, 'missing-receipt');
  // The wasm's name carries its content, so it can be cached for good (pkg/README.md).
  const wasm = Object.keys(seen).find((n) => /^checklist_bg\.[0-9a-f]{16}\.wasm$/.test(n));
  assert.ok(wasm, `the versioned wasm was fetched: ${Object.keys(seen).join(', ')}`);
  for (const name of [wasm, 'checklist.js', 'law-record-checklist.js', 'law-record-checklist.guard.js']) {
    const h = seen[name];
    assert.ok(h, `${name} was fetched`);
    // What the browser offers decides the copy: brotli where it accepts it, else gzip.
    assert.match(h['content-encoding'] || '', /^(br|gzip)$/, `${name}: ${JSON.stringify(h)}`);
    assert.match(h.vary || '', /Accept-Encoding/i, name);
    assert.ok(h.etag, `${name} has a validator`);
    assert.equal(h['cache-control'], name === wasm ? 'max-age=31536000, immutable' : 'no-cache', name);
  }
  assert.equal(seen[wasm]['content-type'], 'application/wasm', 'streaming compilation needs the wasm type');
  // The guard script preloads it from the head and the loader takes that download: one request.
  assert.deepEqual(wasmRequests.filter((u) => u.includes('checklist_bg')), [`${BASE}dist/${wasm}`]);
  await context.close();
});

test('keyboard: steps fold with Enter, everything reachable by Tab', async () => {
  const { context, page } = await newPage();
  await open(page, 'missing-receipt');
  const first = widget(page).locator('.step-btn').first();
  await first.focus();
  const was = await first.getAttribute('aria-expanded');
  const other = was === 'true' ? 'false' : 'true';
  await page.keyboard.press('Enter');
  assert.equal(await first.getAttribute('aria-expanded'), other);
  await page.keyboard.press('Enter');
  assert.equal(await first.getAttribute('aria-expanded'), was);
  // Tab moves on to the next control inside the widget, with a visible focus outline.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const a = document.querySelector('law-record-checklist').shadowRoot.activeElement;
    return a && { tag: a.tagName, outline: getComputedStyle(a).outlineStyle };
  });
  assert.ok(focused, 'focus stays in the widget');
  assert.equal(focused.outline, 'solid');
  await context.close();
});

test('works in a 360-px side panel', async () => {
  const { context, page } = await newPage({ width: 360, height: 720 });
  await open(page, 'overdue-av');
  const fits = await page.evaluate(() => {
    const el = document.querySelector('law-record-checklist');
    const box = el.shadowRoot.querySelector('.lrc');
    return box.scrollWidth <= box.clientWidth + 1 && el.getBoundingClientRect().width <= 360;
  });
  assert.ok(fits, 'no horizontal overflow');
  await shot(page, 'side-panel-360');
  await context.close();
});

test('a case of 300 records: items far down the list are drawn and can be ticked', async () => {
  const { context, page, errors } = await newPage();
  await open(page, 'complete');
  await page.evaluate(async () => {
    const c = JSON.parse(JSON.stringify(window.platformCase));
    c.activities = [];
    for (let a = 0; a < 60; a++) {
      const start = `2026-03-${String(2 + (a % 20)).padStart(2, '0')}T09:00`;
      const end = start.replace('09:00', '10:00');
      c.activities.push({ id: `A${a}`, kind: a % 2 ? '现场检查' : '询问', start, end, records: [
        { id: `R${a}-1`, kind: '现场检查(勘验)笔录', made_at: end, elements: ['检查起止时间', '检查地点'] },
        { id: `R${a}-2`, kind: '音像记录', made_at: end, media: [{ name: `v${a}.mp4`, recorded_to: end, stored_at: end }] },
        { id: `R${a}-3`, kind: '询问笔录', made_at: end },
        { id: `R${a}-4`, kind: '音像记录', made_at: end, media: [{ name: `w${a}.mp4`, recorded_to: end }] },
      ] });
    }
    (await document.querySelector('law-record-checklist').ready).setCase(c);
  });
  const last = item(page, '13-inspection-record@A59');
  await last.waitFor({ state: 'attached' });
  assert.equal(await last.getAttribute('data-status'), 'incomplete');
  if (isChromium83) {
    // No content-visibility before Chromium 85: the officer scrolls down to the far row, which
    // must then be drawn with its buttons.
    await page.waitForFunction(() => {
      const li = document.querySelector('law-record-checklist').shadowRoot
        .querySelector('li.item[data-key="13-inspection-record@A59"]');
      if (li && li.querySelector('button') && li.getBoundingClientRect().height > 20) { return true; }
      window.scrollTo(0, document.documentElement.scrollHeight);
      if (li) { li.scrollIntoView({ block: 'center' }); }
      return false;
    });
  } else {
    // Laid out only near the screen in a list this long: scrolled to, it is drawn and works.
    assert.equal(await last.evaluate((li) => getComputedStyle(li).contentVisibility), 'auto');
  }
  await last.getByRole('button', { name: '查看依据' }).click();
  await last.locator('.cite').waitFor();
  const box = await last.boundingBox();
  assert.ok(box && box.height > 20 && (await last.innerText()).includes('现场检查'), 'the row is drawn');
  await snap(page, 'large-case-scrolled');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every entry point fails with its own error code (pkg/README.md)', async () => {
  const { context, page } = await newPage();
  await page.goto(`${BASE}demo/submitted.html`);
  const out = await page.evaluate(async () => {
    const m = await import('/dist/law-record-checklist.js');
    const api = await m.load();
    const c = await (await fetch('/demo/cases/missing-receipt.json')).json();
    const now = '2026-03-25T10:00';
    const code = (r) => (r.type === 'failure' ? r.error.code : r.type);
    const el = document.createElement('div');
    document.body.appendChild(el);
    const w = api.mount(el, { now, logStore: null });
    const codes = {
      evaluated: code(api.evaluate(c, { now })),
      brokenCase: code(api.evaluate({ id: 'x' }, { now })),
      unknownAgency: code(api.evaluate(c, { now, agency: 'nowhere-zfj' })),
      badNow: code(api.evaluate(c, { now: '昨天' })),
      unreadableConfig: code(api.evaluate(c, { now, config: { rules: 5 } })),
      foreignConfig: code(api.evaluate(c, { now, config: { rules: { 'no-such-rule': { severity: 'warning', reason: '本局规定' } } } })),
      noCase: code(w.report()),
      setCase: code(w.setCase(c)),
      refusedConfig: code(w.setConfig('{不是 JSON')),
      afterRefusal: code(w.report()),
    };
    w.unmount();
    return codes;
  });
  assert.deepEqual(out, {
    evaluated: 'success',
    brokenCase: 'invalid-case',
    unknownAgency: 'pack',
    badNow: 'invalid-time',
    unreadableConfig: 'invalid-config',
    foreignConfig: 'invalid-config',
    noCase: 'no-case',
    setCase: 'success',
    refusedConfig: 'config-refused',
    // The refused config is set aside: the case is checked with the pack's defaults.
    afterRefusal: 'success',
  });
  await context.close();
});

test('the JS API: mount, evaluate, misuse throws', async () => {
  const { context, page } = await newPage();
  await page.goto(`${BASE}demo/submitted.html`);
  const out = await page.evaluate(async () => {
    const m = await import('/dist/law-record-checklist.js');
    const api = await m.load();
    const c = await (await fetch('/demo/cases/missing-receipt.json')).json();
    const ok = api.evaluate(c, { now: '2026-03-25T10:00' });
    const bad = api.evaluate({ id: 'x' }, {});
    const el = document.createElement('div');
    document.body.appendChild(el);
    const w = api.mount(el, { case: c, now: '2026-03-25T10:00' });
    // Yew renders on its scheduler; give it frames (bounded) before reading the DOM.
    for (let i = 0; i < 100 && !el.shadowRoot.querySelector('.steps'); i++) {
      await new Promise((r) => requestAnimationFrame(r));
    }
    let threw = null;
    try { w.guardSubmit(42); } catch (e) { threw = e.constructor.name; }
    const packs = api.packs();
    return { ok: ok.type, gate: ok.report.gate.allowed, bad: bad.type, badMsg: bad.error.message,
      mounted: w.report().type, rendered: !!el.shadowRoot.querySelector('.steps'), threw,
      packs: packs.packs.map((p) => p.id) };
  });
  assert.equal(out.ok, 'success');
  assert.equal(out.gate, false);
  assert.equal(out.bad, 'failure');
  assert.match(out.badMsg, /procedure/);
  assert.equal(out.mounted, 'success');
  assert.equal(out.rendered, true);
  assert.equal(out.threw, 'TypeError');
  assert.ok(out.packs.includes('changsha-zfj'));
  await context.close();
});

test('a widget dropped without unmount() leaves nothing on the host page', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(`${BASE}demo/submitted.html`);
  // What the widget could leave behind on the page itself: listeners on the document or the
  // window, and intervals, that its code (checklist.js and its wasm) set. Counted from before
  // it loads; Playwright's own listeners are not the widget's.
  const counts = () => page.evaluate(() => ({
    listeners: window.__live.listeners.length,
    intervals: window.__live.intervals.size,
    hostRan: window.__hostRan,
    rendered: !!window.__el.shadowRoot.querySelector('.steps'),
  }));
  const base = await page.evaluate(async () => {
    const live = { listeners: [], intervals: new Set() };
    window.__live = live;
    const widgets = () => /checklist/.test(new Error().stack);
    const page = (t) => (t === document || t === window) && widgets();
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    const capture = (o) => !!(o === true || (o && o.capture));
    EventTarget.prototype.addEventListener = function (type, fn, o) {
      if (page(this)) { live.listeners.push({ t: this, type, fn, c: capture(o) }); }
      return add.call(this, type, fn, o);
    };
    EventTarget.prototype.removeEventListener = function (type, fn, o) {
      if (page(this)) {
        const at = live.listeners.findIndex((l) => l.t === this && l.type === type && l.fn === fn && l.c === capture(o));
        if (at >= 0) { live.listeners.splice(at, 1); }
      }
      return remove.call(this, type, fn, o);
    };
    const setI = window.setInterval;
    const clearI = window.clearInterval;
    window.setInterval = function (...args) { const id = setI.apply(window, args); if (widgets()) { live.intervals.add(id); } return id; };
    window.clearInterval = function (id) { live.intervals.delete(id); return clearI.call(window, id); };
    // The host's own form and handler.
    const form = document.createElement('form');
    form.innerHTML = '<button type="submit" id="host-submit">提交审核</button>';
    window.__hostRan = 0;
    form.addEventListener('submit', (e) => { e.preventDefault(); window.__hostRan += 1; });
    document.body.appendChild(form);
    const base = { listeners: live.listeners.length, intervals: live.intervals.size };
    const m = await import('/dist/law-record-checklist.js');
    const api = await m.load();
    const c = await (await fetch('/demo/cases/missing-receipt.json')).json();
    const el = document.createElement('div');
    document.body.appendChild(el);
    window.__el = el;
    window.__w = api.mount(el, { case: c, now: '2026-03-25T10:00' });
    window.__w.guardSubmit(form);
    for (let i = 0; i < 100 && !el.shadowRoot.querySelector('.steps'); i++) {
      await new Promise((r) => requestAnimationFrame(r));
    }
    return base;
  });
  const mounted = await counts();
  assert.ok(mounted.rendered, 'the checklist is drawn');
  assert.ok(mounted.listeners > base.listeners, `the guard listens on the document: ${JSON.stringify(mounted)}`);
  assert.ok(mounted.intervals > base.intervals, `the clock runs: ${JSON.stringify(mounted)}`);
  // Mounted, the guard holds the submit of a case that lacks its 送达回证.
  await page.click('#host-submit');
  await page.waitForFunction(() => window.__el.shadowRoot.querySelector('dialog[open]'));
  assert.equal((await counts()).hostRan, 0, "the widget held the host's submit");
  await shot(page, 'drop-mounted');
  // Taken off the page without unmount(): it cannot show why it would hold a submit, so the
  // host's own handler has it.
  await page.evaluate(() => window.__el.remove());
  await page.click('#host-submit');
  assert.equal((await counts()).hostRan, 1, "off the page, the host's handler runs");
  // The handle dropped too: the guard's listener, the clock and the rendered widget go.
  await page.evaluate(() => { window.__w.free(); window.__w = null; document.body.appendChild(window.__el); });
  for (let i = 0; i < 5; i++) { await page.evaluate(() => new Promise((r) => requestAnimationFrame(r))); }
  const dropped = await counts();
  assert.equal(dropped.listeners, base.listeners, 'no listener left on the document or the window');
  assert.equal(dropped.intervals, base.intervals, 'no interval left running');
  assert.equal(dropped.rendered, false, 'nothing of the widget is drawn');
  await page.click('#host-submit');
  assert.equal((await counts()).hostRan, 2, "the host's handler runs, untouched");
  await shot(page, 'drop-dropped');
  assert.deepEqual(errors, []);
  await context.close();
});
