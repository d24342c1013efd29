// The officer's view of the checklist, in Debian's Chromium and in Chromium 83: what blocks is
// seen at once and reached in one step, tags mean what they say, the checklist can be narrowed,
// an acknowledgment asks where the paper record is, and dialogs are page-level modals that keep
// the keyboard inside. Run by `cargo xtask test` (BASE_URL, BROWSER, CHROMIUM, ARTIFACTS).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { launchBrowser, newContext, shot, acknowledge, BASE, resetPlatform, isChromium83 } from './browsers.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });
// Every test starts with no checklist record stored on the platform.
beforeEach(resetPlatform);

const RECEIPT = '29-direct-receipt@S1';

async function openCase(name, options) {
  const context = await newContext(browser, { viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE}demo/?case=${name}`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  return { context, page, w, errors };
}

/** The widget's focused element: its item key, or its tag and text. */
function focused(page) {
  return page.evaluate(() => {
    const a = document.querySelector('law-record-checklist').shadowRoot.activeElement;
    if (!a) { return document.activeElement ? `page:${document.activeElement.id || document.activeElement.tagName}` : ''; }
    return a.dataset.key || `${a.tagName}:${a.textContent.trim().slice(0, 20)}`;
  });
}

test('what blocks is listed at the top; its link unfolds, scrolls to and focuses the item', async () => {
  const { context, page, w, errors } = await openCase('missing-receipt');
  const top = w.getByRole('navigation', { name: '待处理事项' });
  assert.match(await top.textContent(), /阻止提交的事项（1）/);
  const link = top.getByRole('button', { name: /直接送达：《送达回证》/ });
  const linkBox = await link.boundingBox();
  const wBox = await w.boundingBox();
  assert.ok(linkBox.y - wBox.y < 200, `the first blocking item is named near the widget's top (${linkBox.y - wBox.y} px down)`);
  // How far an officer tabs from the page's first control to it.
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  let tabs = 0;
  for (; tabs < 60; tabs++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.querySelector('law-record-checklist').shadowRoot.activeElement;
      return a ? a.textContent : '';
    });
    if (f.includes('直接送达')) { break; }
  }
  console.log(`# first blocking item: named at y=${Math.round(linkBox.y)} px of 720, reached in ${tabs + 1} Tab presses`);
  assert.ok(tabs < 60, 'reachable by keyboard');
  // Fold its step away, then follow the link: the step opens and the item has the focus.
  await w.locator('li.step[data-step="serve"] .step-btn').click();
  assert.equal(await w.locator(`li.item[data-key="${RECEIPT}"]`).isVisible(), false);
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((k) => document.querySelector('law-record-checklist').shadowRoot.activeElement?.dataset.key === k, RECEIPT);
  const row = await w.locator(`li.item[data-key="${RECEIPT}"]`).boundingBox();
  assert.ok(row.y >= 0 && row.y + 20 <= 720, `the item is on screen (y=${row.y})`);
  await shot(page, 'officer-revealed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('steps already complete start folded; progress counts as the 核查表 does', async () => {
  const { context, w } = await openCase('missing-receipt');
  const steps = await w.locator('li.step').evaluateAll((ls) => ls.map((l) => ({
    id: l.dataset.step,
    open: l.querySelector('.step-btn').getAttribute('aria-expanded') === 'true',
    count: l.querySelector('.count').textContent,
  })));
  for (const s of steps) {
    const m = s.count.match(/已完成 (\d+)\/(\d+)/);
    assert.ok(m, s.count);
    const complete = m[1] === m[2] && !s.count.includes('待办');
    assert.equal(s.open, !complete, `${s.id}: ${s.count}`);
  }
  assert.ok(steps.some((s) => !s.open) && steps.some((s) => s.open), JSON.stringify(steps));
  await context.close();
});

test('tags mean what they say: severity only on unmet items, a running deadline is neutral', async () => {
  const { context, page, w } = await openCase('missing-receipt');
  const rows = await w.locator('li.item[data-status]').evaluateAll((ls) => ls.map((l) => ({
    key: l.dataset.key,
    status: l.dataset.status,
    tags: [...l.querySelectorAll('.tags .tag')].map((t) => t.textContent),
    alarm: [...l.classList].some((c) => c.startsWith('sv-')),
  })));
  const unmet = new Set(['missing', 'incomplete', 'overdue', 'out-of-order']);
  for (const r of rows) {
    const severity = r.tags.some((t) => ['阻止提交', '警告', '提示'].includes(t));
    if (!unmet.has(r.status)) {
      assert.ok(!severity && !r.alarm, `${r.key} (${r.status}) carries no alarm: ${r.tags}`);
    }
  }
  const receipt = rows.find((r) => r.key === RECEIPT);
  assert.ok(receipt.tags.includes('阻止提交') && receipt.alarm, JSON.stringify(receipt));
  const running = rows.find((r) => r.status === 'due-by');
  assert.ok(running, 'the sample has a deadline still running');
  assert.ok(!running.tags.includes('阻止提交') && !running.alarm, JSON.stringify(running));
  // A legend explains the tags, one click away.
  await w.getByRole('button', { name: '图例' }).click();
  const legend = await w.locator('#lrc-legend').textContent();
  for (const t of ['必须', '有条件时必须', '可选', '阻止提交', '警告', '提示', '人工确认']) {
    assert.ok(legend.includes(t), t);
  }
  await shot(page, 'officer-legend');
  await context.close();
});

test('「只看未完成」 and the search narrow the list', async () => {
  const { context, w } = await openCase('missing-receipt');
  // Every item listed, in folded steps too.
  const listed = () => w.locator('li.item[data-key]').evaluateAll((ls) => ls.map((l) => l.dataset.key));
  const all = await listed();
  await w.getByRole('checkbox', { name: '只看未完成' }).check();
  const open = await listed();
  assert.ok(open.includes(RECEIPT) && open.length < all.length, `${open.length} of ${all.length}`);
  await w.getByRole('checkbox', { name: '只看未完成' }).uncheck();
  await w.getByRole('searchbox', { name: '搜索事项' }).fill('第二十九条');
  const found = await listed();
  assert.deepEqual(found, [RECEIPT]);
  await context.close();
});

test('an acknowledgment needs a note saying where the paper record is, and shows as 人工确认', async () => {
  const { context, page, w, errors } = await openCase('missing-receipt');
  const row = w.locator(`li.item[data-key="${RECEIPT}"]`);
  await row.getByRole('button', { name: '线下已完成（人工确认）…' }).click();
  const box = row.getByRole('textbox', { name: '线下已完成：写明纸质记录及其存放位置' });
  assert.equal(await focused(page), 'TEXTAREA:', 'the note has the focus');
  const confirm = row.getByRole('button', { name: '确认', exact: true });
  await box.fill('已签');
  assert.equal(await confirm.isDisabled(), true, 'too short to count');
  await box.fill('纸质送达回证，当事人已签收，见卷宗第12页');
  await confirm.click();
  await page.waitForFunction((k) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${k}"]`).dataset.status === 'acknowledged', RECEIPT);
  const text = await row.textContent();
  assert.ok(text.includes('人工确认') && text.includes('见卷宗第12页') && !text.includes('已满足'), text);
  assert.equal(await focused(page), RECEIPT, 'focus stays on the item, not the page body');
  // The report says so too: its own status, not satisfied.
  const status = await page.evaluate((k) => {
    const r = document.querySelector('law-record-checklist').report.report;
    return r.steps.flatMap((s) => s.items).find((i) => i.key === k).status;
  }, RECEIPT);
  assert.equal(status, 'acknowledged');
  // Cancelling the form returns focus to its opener (on a case the platform holds no record of).
  await resetPlatform();
  const { context: c2, page: p2, w: w2 } = await openCase('missing-receipt');
  const r2 = w2.locator(`li.item[data-key="${RECEIPT}"]`);
  await r2.getByRole('button', { name: '线下已完成（人工确认）…' }).click();
  await p2.keyboard.press('Escape');
  assert.equal(await focused(p2), 'BUTTON:线下已完成（人工确认）…');
  await c2.close();
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [label, options] of [
  ['100 %', {}],
  ['150 %', { viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 }],
]) {
  test(`the blocked-submit dialog is a page-level modal, centred and whole on screen at ${label}`, async () => {
    const { context, page, w } = await openCase('missing-receipt', options);
    const vp = page.viewportSize();
    await page.click('#submit-case');
    const dialog = w.getByRole('dialog');
    await dialog.waitFor();
    const b = await dialog.boundingBox();
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= vp.width && b.y + b.height <= vp.height,
      `inside the ${vp.width}×${vp.height} viewport: ${JSON.stringify(b)}`);
    assert.ok(Math.abs(b.x + b.width / 2 - vp.width / 2) <= 2, `centred across: ${JSON.stringify(b)}`);
    assert.ok(b.width > Math.min(500, vp.width - 40), `not squeezed into the widget's box: ${b.width}`);
    // The keyboard stays in the dialog: Tab cycles through its controls and the browser's own
    // toolbar (nothing focused in the page), never into the platform behind it.
    let visits = 0;
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const root = document.querySelector('law-record-checklist').shadowRoot;
        const d = root.querySelector('dialog[open]');
        if (d && root.activeElement && d.contains(root.activeElement)) { return 'dialog'; }
        return document.activeElement === document.body || !document.activeElement ? 'browser' : document.activeElement.outerHTML.slice(0, 80);
      });
      assert.ok(where === 'dialog' || where === 'browser', `Tab ${i + 1} went to ${where}`);
      visits += where === 'dialog' ? 1 : 0;
    }
    assert.ok(visits >= 4, `the dialog's controls come round again (${visits} of 8)`);
    await shot(page, `officer-dialog-${label.replace(' %', '')}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' }).catch(() => dialog.waitFor({ state: 'hidden' }));
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'submit-case',
      'focus returns to the button that opened it');
    await context.close();
  });
}

/** Latin words in `text` an officer should not meet: ids the platform itself shows (R1, A1),
 *  file names, digests and the name SHA-256 are theirs or the law's; anything else is ours. */
function latin(text) {
  const cleaned = text
    .replace(/[\w\u4e00-\u9fff()（）-]+\.(mp4|mov|avi|wav|mp3|jpg|jpeg|png|pdf)/gi, '')
    .replace(/\b[0-9a-f]{16,}\b/gi, '')
    .replace(/SHA-256|SM3/g, '')
    // Keys as the keyboard labels them.
    .replace(/Ctrl\+[A-Z]/g, '');
  return [...new Set((cleaned.match(/[A-Za-z][A-Za-z0-9._-]*/g) || []).filter((w) => !/^[A-Z]{1,2}\d+-?$/.test(w)))];
}

async function widgetText(page) {
  return page.evaluate(() => {
    const root = document.querySelector('law-record-checklist').shadowRoot;
    root.querySelectorAll('.step-btn[aria-expanded=false]').forEach((b) => b.click());
    root.querySelectorAll('button.link').forEach((b) => { if (b.textContent === '查看依据') { b.click(); } });
    // The technical line under an error is for the platform's support staff, in small type.
    root.querySelectorAll('.support').forEach((e) => { e.style.display = 'none'; });
    return new Promise((r) => setTimeout(() => r([...root.querySelectorAll('.lrc, dialog[open]')].map((e) => e.innerText).join('\n')), 100));
  });
}

test('no English or internal ids reach the officer: every sample, its citations, the dialogs, a broken case', async () => {
  const found = {};
  for (const name of ['complete', 'missing-receipt', 'overdue-av', 'simple']) {
    const { context, page, w } = await openCase(name);
    await w.getByRole('button', { name: '图例' }).click();
    found[name] = latin(await widgetText(page));
    await page.click('#submit-case');
    if (await w.getByRole('dialog').count()) {
      found[`${name}: dialog`] = latin(await widgetText(page));
    }
    await context.close();
  }
  const { context, page } = await openCase('complete');
  await page.evaluate(() => {
    document.querySelector('law-record-checklist').case = {
      id: 'X', agency: 'changsha-zfj', procedure: 'ordinary', activities: [{ id: 'A1', kind: '现场检查', start: '三月二日' }],
    };
  });
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.err'));
  found['malformed case'] = latin(await widgetText(page));
  await shot(page, 'officer-malformed-case');
  await context.close();
  const bad = Object.entries(found).filter(([, words]) => words.length);
  assert.deepEqual(bad, [], JSON.stringify(bad));
});

test('text is at least 13 px (body 14 px), and no browser-language file control shows', async () => {
  const { context, page, w } = await openCase('overdue-av');
  await w.getByRole('button', { name: '图例' }).click();
  const sizes = await page.evaluate(() => {
    const root = document.querySelector('law-record-checklist').shadowRoot;
    const small = [];
    for (const el of root.querySelectorAll('.lrc *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest('[hidden]') || el.offsetParent === null) { continue; }
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < 13) { small.push(`${el.tagName}.${el.className}: ${px}px "${el.textContent.trim().slice(0, 20)}"`); }
    }
    return { small, body: parseFloat(getComputedStyle(root.querySelector('.lrc')).fontSize) };
  });
  assert.deepEqual(sizes.small, []);
  assert.ok(sizes.body >= 14, `body ${sizes.body}px`);
  // The native file inputs are there for the keyboard and the picker, but not seen.
  const shown = await w.locator('input[type=file]').evaluateAll((ins) => ins.filter((i) => {
    const r = i.getBoundingClientRect();
    return r.width > 2 && r.height > 2 && getComputedStyle(i).opacity !== '0';
  }).length);
  assert.equal(shown, 0);
  await shot(page, 'officer-files');
  await context.close();
});

/** Presses Tab until `want(focused)` holds (the widget's or the page's focused element). */
async function tabTo(page, want, max = 80) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const root = document.querySelector('law-record-checklist').shadowRoot;
      const a = root.activeElement || document.activeElement;
      return a ? { id: a.id || '', text: (a.textContent || '').trim().slice(0, 40), tag: a.tagName, key: (a.dataset && a.dataset.key) || '' } : {};
    });
    if (want(f)) { return i; }
  }
  throw new Error('not reached by Tab');
}

test('keyboard only: find what blocks, confirm it with a note, open the 核查表; submit over a warning with a reason', async () => {
  const { context, page, errors } = await openCase('missing-receipt');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await tabTo(page, (f) => f.text.startsWith('直接送达'));
  await page.keyboard.press('Enter');
  await page.waitForFunction((k) => document.querySelector('law-record-checklist').shadowRoot.activeElement?.dataset.key === k, RECEIPT);
  await tabTo(page, (f) => f.text === '线下已完成（人工确认）…', 5);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.activeElement?.tagName === 'TEXTAREA');
  await page.keyboard.type('纸质送达回证已签收，见卷宗第12页');
  await tabTo(page, (f) => f.text === '确认', 3);
  await page.keyboard.press('Enter');
  await page.waitForFunction((k) => document.querySelector('law-record-checklist').shadowRoot
    .querySelector(`li.item[data-key="${k}"]`).dataset.status === 'acknowledged', RECEIPT);
  await tabTo(page, (f) => f.text === '核查表');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.activeElement?.textContent === '打印 / 另存为 PDF');
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await context.close();

  const other = await openCase('overdue-av');
  await other.page.evaluate(() => document.activeElement && document.activeElement.blur());
  await tabTo(other.page, (f) => f.id === 'submit-case');
  await other.page.keyboard.press('Enter');
  await other.page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.activeElement?.id === 'lrc-reason');
  await other.page.keyboard.type('执法记录仪故障，3月4日已补存');
  await tabTo(other.page, (f) => f.text === '填写理由并提交', 4);
  await Promise.all([other.page.waitForURL(/submitted\.html/), other.page.keyboard.press('Enter')]);
  await other.context.close();
});

const RECEIPT_CITATION = '《长沙县行政执法局行政执法全过程记录制度》第二十九条：直接送达行政执法文书的,应当制作《送达回证》,'
  + '并在《送达回证》上对送达文书名称、送达时间和地点、送达人、受送达人或者符合法定条件的签收人及签收情况等进行记录。';

/** Opens the receipt item's citation and presses its 复制. */
async function copyReceiptCitation(w) {
  const row = w.locator(`li.item[data-key="${RECEIPT}"]`);
  await row.getByRole('button', { name: '查看依据' }).click();
  const copy = row.locator('blockquote.cite button.copy');
  assert.equal((await copy.textContent()).trim(), '复制');
  await copy.click();
  return row.locator('blockquote.cite .copied');
}

test('a citation copies as 《regulation》article: quote, through the clipboard API', { skip: isChromium83 && 'Chromium 83 has no clipboard permission to grant; its way is the next test' }, async () => {
  const { context, page, w, errors } = await openCase('missing-receipt', { permissions: ['clipboard-read', 'clipboard-write'] });
  const said = await copyReceiptCitation(w);
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot
    .querySelector('blockquote.cite .copied').textContent.length > 0);
  assert.equal((await said.textContent()).trim(), '已复制条文名称与原文');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), RECEIPT_CITATION);
  await shot(page, 'officer-citation-copied');
  assert.deepEqual(errors, []);
  await context.close();
});

test('without navigator.clipboard (http intranet in Chromium 83) a citation copies through a selected textarea', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 720 } });
  // The page as an insecure context sees it: no clipboard API. execCommand is watched, then run.
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    const real = Document.prototype.execCommand;
    window.__copied = [];
    Document.prototype.execCommand = function (cmd, ...rest) {
      if (cmd === 'copy') {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; }
        window.__copied.push(a && a.tagName === 'TEXTAREA' ? a.value.slice(a.selectionStart, a.selectionEnd) : null);
      }
      return real.call(this, cmd, ...rest);
    };
  });
  const page = await context.newPage();
  await page.goto(`${BASE}demo/?case=missing-receipt`);
  const w = page.locator('law-record-checklist');
  await w.locator('.steps').waitFor();
  const said = await copyReceiptCitation(w);
  await page.waitForFunction(() => window.__copied.length > 0);
  assert.deepEqual(await page.evaluate(() => window.__copied), [RECEIPT_CITATION], 'the whole citation was selected when copy ran');
  assert.equal((await said.textContent()).trim(), '已复制条文名称与原文');
  // The helper textarea is gone and focus is back on 复制.
  assert.equal(await w.locator('textarea').count(), 0);
  assert.equal(await page.evaluate(() => document.querySelector('law-record-checklist').shadowRoot.activeElement?.textContent), '复制');
  await context.close();
});

test('Ctrl+P with the 核查表 open prints the 核查表; the host page printed alone shows a note, not a cut checklist', async () => {
  const { context, page, w, errors } = await openCase('missing-receipt');
  await w.getByRole('button', { name: '核查表' }).click();
  const frame = w.getByRole('dialog').locator('iframe.sheet-frame');
  await frame.waitFor();
  await page.waitForFunction(() => {
    const f = document.querySelector('law-record-checklist').shadowRoot.querySelector('iframe.sheet-frame');
    return f && f.contentDocument && f.contentDocument.readyState === 'complete' && f.contentDocument.body.textContent.length > 0;
  });
  await page.evaluate(() => {
    const f = document.querySelector('law-record-checklist').shadowRoot.querySelector('iframe.sheet-frame');
    window.__printed = [];
    f.contentWindow.print = () => window.__printed.push('frame');
    window.print = () => window.__printed.push('host');
  });
  // Focus on the dialog's button, then inside the sheet itself (a click in it).
  await page.keyboard.press('Control+P');
  await frame.click({ position: { x: 200, y: 200 } });
  await page.keyboard.press('Control+p');
  assert.deepEqual(await page.evaluate(() => window.__printed), ['frame', 'frame']);
  // Closed: Ctrl+P is the browser's again (nothing of ours runs), and the page prints a note.
  await page.keyboard.press('Escape');
  await w.getByRole('dialog').waitFor({ state: 'detached' }).catch(() => w.getByRole('dialog').waitFor({ state: 'hidden' }));
  await page.keyboard.press('Control+P');
  assert.deepEqual(await page.evaluate(() => window.__printed), ['frame', 'frame']);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const root = document.querySelector('law-record-checklist').shadowRoot;
    const shown = [...root.querySelector('.lrc').children].filter((e) => getComputedStyle(e).display !== 'none');
    return { shown: shown.map((e) => e.className), text: root.querySelector('.lrc').innerText.trim(), height: root.querySelector('.lrc').getBoundingClientRect().height };
  });
  assert.deepEqual(printed.shown, ['print-note']);
  assert.ok(printed.text.includes('请在清单中点“核查表”'), printed.text);
  assert.ok(printed.height < 120, `a note, not the checklist (${printed.height} px)`);
  await page.pdf({ path: `${process.env.ARTIFACTS || 'artifacts'}/host-page-print.pdf`, format: 'A4' }).catch(() => {});
  await page.emulateMedia({ media: 'screen' });
  assert.ok(await w.locator('.steps').isVisible(), 'on screen the checklist is back');
  assert.equal(await w.locator('.print-note').isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('one styled control per audio-video item attaches or verifies a file, from the keyboard too', async () => {
  const { context, page, w, errors } = await openCase('overdue-av');
  // File-chooser interception is turned on asynchronously when a listener is added: now, so
  // it is on before the key presses that open the picker.
  page.on('filechooser', () => {});
  await page.evaluate(() => document.querySelector('law-record-checklist').shadowRoot
    .querySelectorAll('.step-btn[aria-expanded=false]').forEach((b) => b.click()));
  const panels = w.locator('li.item .media');
  assert.ok(await panels.count() > 0, 'the case has audio-video items');
  const per = await panels.evaluateAll((ps) => ps.map((p) => ({
    inputs: p.querySelectorAll('input[type=file]').length,
    buttons: [...p.querySelectorAll('.media-control > button')].filter((b) => b.offsetParent !== null).map((b) => b.textContent),
  })));
  for (const p of per) {
    assert.equal(p.inputs, 1, JSON.stringify(per));
    assert.equal(p.buttons.length, 1, JSON.stringify(per));
  }
  // An item with nothing attached: the button opens the picker at once, by keyboard.
  const row = w.locator('li.item', { has: page.locator('.media-control button', { hasText: /^附加音像文件…$/ }) }).first();
  const key = await row.getAttribute('data-key');
  const button = row.locator('.media-control button');
  await button.focus();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
  assert.equal(chooser.isMultiple(), true);
  const file = path.join(os.tmpdir(), `执法记录仪-${process.pid}.mp4`);
  fs.writeFileSync(file, crypto.randomBytes(256 * 1024));
  await chooser.setFiles(file);
  const item = w.locator(`li.item[data-key="${key}"]`);
  await item.locator('li.file[data-state="done"]').waitFor();
  // Now a file can also be verified: the one control asks what the next file is for.
  const control = item.locator('.media-control button.pick-btn');
  assert.equal((await control.textContent()).trim(), '附加或核验音像文件…');
  assert.equal(await control.getAttribute('aria-expanded'), 'false');
  await control.focus();
  await page.keyboard.press('Enter');
  assert.equal(await control.getAttribute('aria-expanded'), 'true');
  const options = await item.locator('.pick-menu button').allTextContents();
  assert.deepEqual(options, ['附加音像文件（在本机计算哈希，文件不上传）', `核验文件：与本机已记录的 ${path.basename(file)} 的哈希对照`]);
  await shot(page, 'officer-media-control');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const [again] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
  await again.setFiles(file);
  await item.locator('[data-verify="match"]').waitFor();
  assert.match(await item.locator('.verify').textContent(), /核验一致/);
  assert.equal(await item.locator('input[type=file]').count(), 1, 'still one input');
  fs.rmSync(file);
  assert.deepEqual(errors, []);
  await context.close();
});
