// Admin mode in a real browser: an administrator changes the agency's config in the widget,
// officers run under it; pinned fingerprints, export/import and reloads.
// In Debian's Chromium and in Chromium 83 (see browsers.mjs). Run by `cargo xtask test` (which
// serves pkg/ and sets BASE_URL, BROWSER, CHROMIUM, ARTIFACTS).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, newContext, waitForDownload, shot as snap, BASE, ARTIFACTS, resetPlatform } from './browsers.mjs';

const REINSPECTION_AV = '35-reinspection-av@A2';
const RECEIPT = '29-direct-receipt@S1';
const EMPTY_FP = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });
// The demo platform stores each case's checklist record: every test starts from none.
beforeEach(resetPlatform);

async function newPage() {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

const widget = (page) => page.locator('law-record-checklist');
const item = (page, key) => widget(page).locator(`li.item[data-key="${key}"]`);
const row = (page, rule) => widget(page).locator(`li.rule[data-rule="${rule}"]`);
const footer = (page) => widget(page).locator('footer.cfg');
const shot = (page, name) => snap(page, `admin-${name}`, { fullPage: true });

async function open(page, query) {
  await page.goto(`${BASE}demo/?${query}`);
  await page.waitForFunction(() => {
    const el = document.querySelector('law-record-checklist');
    return el && el.shadowRoot && el.shadowRoot.querySelector('.steps, .err');
  });
}

async function statusOf(page, key, want) {
  await page.waitForFunction(([k, w]) => {
    const li = document.querySelector('law-record-checklist').shadowRoot.querySelector(`li.item[data-key="${k}"]`);
    return li && li.dataset.status === w;
  }, [key, want]);
}

/** In admin mode: find the rule, pick a choice, give a reason, apply. */
async function change(page, rule, choice, reason) {
  await widget(page).locator('#admin-search').fill(rule);
  const r = row(page, rule);
  await r.locator('select').selectOption(choice);
  await r.locator('input.reason').fill(reason);
  await r.getByRole('button', { name: '应用' }).click();
}

test('officers never see admin controls; the footer names the regulation, version and fingerprint', async () => {
  const { context, page, errors } = await newPage();
  await open(page, 'case=overdue-av');
  assert.equal(await widget(page).locator('.admin, select, input.reason').count(), 0);
  const fp = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  assert.equal(fp.origin, 'host');
  assert.match(fp.fingerprint, /^[0-9a-f]{64}$/);
  assert.notEqual(fp.fingerprint, EMPTY_FP);
  const text = await footer(page).textContent();
  assert.ok(text.includes('《长沙县行政执法局行政执法全过程记录制度》') && text.includes('2023-06-09.1') && text.includes('2023-06-09 起施行'), text);
  assert.ok(!text.includes('changsha-zfj'), 'the regulation by its title, not the pack id');
  assert.ok(text.includes(fp.fingerprint), text);
  assert.ok(text.includes('平台下发的本机关配置：1 项调整，本案适用 1 项'), text);
  // The config applies: the overdue AV storage is a warning, not a block.
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '可以提交');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an administrator switches a rule off with a reason and the officer view changes', async () => {
  const { context, page, errors } = await newPage();
  await open(page, 'case=reinspection&admin=1&user=王科长');
  await widget(page).locator('section.admin').waitFor();
  assert.equal(await item(page, REINSPECTION_AV).getAttribute('data-status'), 'missing');
  // The table is searchable and shows citation, strength and current severity.
  await widget(page).locator('#admin-search').fill('第三十五条');
  const rows = await widget(page).locator("li.rule").count();
  assert.ok(rows >= 2 && rows < 10, `${rows} rows for 第三十五条`);
  const r = row(page, '35-reinspection-av');
  assert.ok((await r.textContent()).includes('可选'));
  assert.ok((await r.textContent()).includes('提示'));
  // A reason is required.
  await r.locator('select').selectOption('disabled');
  await r.getByRole('button', { name: '应用' }).click();
  assert.ok((await widget(page).locator('#admin-error').textContent()).includes('理由'));
  assert.equal(await item(page, REINSPECTION_AV).getAttribute('data-status'), 'missing', 'nothing changed');
  await change(page, '35-reinspection-av', 'disabled', '本局复查一律另行书面记录');
  await statusOf(page, REINSPECTION_AV, 'waived');
  // The effect on the current and sample cases is shown at once.
  assert.match(await widget(page).locator('#admin-effect').textContent(), /1 项清单变化/);
  const log = widget(page).locator('.admin-log li');
  assert.equal(await log.count(), 1);
  const entry = await log.first().textContent();
  assert.ok(entry.includes('王科长') && entry.includes('复查根据需要进行全过程音像记录（本机关全部案件）：规则包默认 → 停用')
    && entry.includes('本局复查一律另行书面记录'), entry);
  assert.ok(!entry.includes('35-reinspection-av') && !entry.includes('agency'), `named by title and scope in Chinese: ${entry}`);
  assert.ok((await footer(page).textContent()).includes('管理员本地编辑'));
  await shot(page, 'rule-off');
  // A rule with no item in this case is named by its title too, not by its id.
  await change(page, '14-interview-av', 'warning', '询问音像记录由中队统一核查');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('#admin-status').textContent.includes('已调整'));
  const said = await widget(page).locator('#admin-status').textContent();
  assert.ok(said.includes('已调整「') && !said.includes('14-interview-av'), said);
  // The exported file is what the platform hands to officers.
  const download = await waitForDownload(page, () => widget(page).locator('#admin-export').click());
  const exported = fs.readFileSync(await download.path(), 'utf8');
  const adminFp = (await page.evaluate(() => document.querySelector('law-record-checklist').widget.config())).fingerprint;
  await context.close();

  const officer = await newPage();
  await open(officer.page, 'case=reinspection&user=李四');
  assert.equal(await item(officer.page, REINSPECTION_AV).getAttribute('data-status'), 'missing');
  const res = await officer.page.evaluate((text) => document.querySelector('law-record-checklist').widget.setConfig(text), exported);
  assert.equal(res.type, 'success');
  await statusOf(officer.page, REINSPECTION_AV, 'waived');
  assert.ok((await item(officer.page, REINSPECTION_AV).textContent()).includes('本局复查一律另行书面记录'));
  assert.equal(await widget(officer.page).locator('.admin').count(), 0);
  assert.ok((await footer(officer.page).textContent()).includes(adminFp), 'the officer runs under the same fingerprint');
  assert.equal(res.report.config.fingerprint, adminFp);
  await shot(officer.page, 'officer-after');
  assert.deepEqual(errors.concat(officer.errors), []);
  await officer.context.close();
});

test('a must rule lowered to warning says the agency lowered it, never satisfied', async () => {
  const { context, page } = await newPage();
  await open(page, 'case=missing-receipt&admin=1');
  await widget(page).locator('#admin-search').fill('29-direct-receipt');
  const options = await row(page, '29-direct-receipt').locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['default', 'warning'], 'a must rule cannot be switched off');
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交');
  await change(page, '29-direct-receipt', 'warning', '纸质送达回证另行归档');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.gate').textContent.trim() === '可以提交');
  assert.equal(await item(page, RECEIPT).getAttribute('data-status'), 'missing');
  const text = await item(page, RECEIPT).textContent();
  assert.ok(text.includes('本机关配置：未满足时不阻止提交。理由：纸质送达回证另行归档'), text);
  assert.ok(text.includes('警告'), text);
  await shot(page, 'must-lowered');
  // The printed 核查表 carries the fingerprint and the waiver too.
  const fp = (await page.evaluate(() => document.querySelector('law-record-checklist').widget.config())).fingerprint;
  await widget(page).getByRole('button', { name: '核查表' }).click();
  const sheet = await widget(page).getByRole('dialog').locator('iframe.sheet-frame').getAttribute('srcdoc');
  assert.ok(sheet.includes(fp), 'the sheet prints the fingerprint');
  assert.ok(sheet.includes('本机关配置：未满足时不阻止提交') && sheet.includes('纸质送达回证另行归档'));
  await context.close();

  // A config that would silence the must rule is refused; the widget says so and keeps the pack's rule.
  const officer = await newPage();
  await open(officer.page, 'case=missing-receipt');
  await officer.page.evaluate(() => document.querySelector('law-record-checklist').widget.setConfig(
    { rules: { '29-direct-receipt': { disabled: true, reason: '人手不足' } } }));
  const alert = widget(officer.page).locator('.cfg-notice');
  await alert.waitFor();
  const msg = await alert.textContent();
  assert.ok(msg.includes('29-direct-receipt') && msg.includes('rules.29-direct-receipt') && msg.includes('默认设置'), msg);
  assert.equal(await item(officer.page, RECEIPT).getAttribute('data-status'), 'missing');
  assert.equal((await widget(officer.page).locator('.gate').textContent()).trim(), '1 项阻止提交');
  await officer.context.close();
});

test('a pinned fingerprint: the wrong one is refused, the right one accepted; bad files are named', async () => {
  const { context, page } = await newPage();
  await open(page, `case=overdue-av&pin=${'0'.repeat(64)}`);
  const alert = widget(page).locator('.cfg-notice');
  await alert.waitFor();
  const msg = await alert.textContent();
  assert.ok(msg.includes('已被拒绝') && msg.includes('does not match the pinned') && msg.includes('默认设置'), msg);
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交', "the pack's defaults");
  assert.ok((await footer(page).textContent()).includes(EMPTY_FP));
  const cfg = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  assert.equal(cfg.origin, 'pack-defaults');
  await shot(page, 'pin-refused');
  // The right pin: the fingerprint `rules config fingerprint` prints for the demo's file.
  await open(page, 'case=overdue-av');
  const good = (await page.evaluate(() => document.querySelector('law-record-checklist').widget.config())).fingerprint;
  await open(page, `case=overdue-av&pin=${good}`);
  assert.equal(await widget(page).locator('.cfg-notice').count(), 0);
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '可以提交');
  // A missing file and a file that is not a config: named errors, the checklist still works.
  await open(page, 'case=overdue-av&config=no-such-config.json');
  assert.match(await widget(page).locator('.cfg-notice').textContent(), /no-such-config\.json.*HTTP 404/);
  await open(page, 'case=overdue-av&config=cases/complete.json');
  assert.match(await widget(page).locator('.cfg-notice').textContent(), /config is malformed at `id`/);
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交');
  await context.close();
});

test('a slow agency config: the widget says it is reading it, then checks with it; a network failure is named', async () => {
  const { context, page, errors } = await newPage();
  // The config answers 1.5 s late (an office network on a bad day): the wasm is ready first.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/demo/agency-config.json', async (route) => { await held; await route.continue(); });
  await page.goto(`${BASE}demo/?case=overdue-av`);
  const status = widget(page).locator('p.empty[role="status"]');
  await status.waitFor();
  assert.equal((await status.textContent()).trim(), '正在读取本机关配置……');
  assert.equal(await widget(page).locator('.steps').count(), 0, 'no checklist before the config');
  setTimeout(release, 1500);
  await widget(page).locator('.steps').waitFor();
  // The demo config lets an overdue AV storage through with a reason.
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '可以提交');
  assert.equal((await page.evaluate(() => document.querySelector('law-record-checklist').widget.config())).origin, 'host');
  await page.unroute('**/demo/agency-config.json');
  // The network fails: named, and the checklist runs on the pack's defaults.
  await page.route('**/demo/agency-config.json', (route) => route.abort());
  await open(page, 'case=overdue-av');
  await widget(page).locator('.cfg-notice').waitFor();
  assert.match(await widget(page).locator('.cfg-notice').textContent(), /agency-config\.json.*网络错误/);
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交');
  assert.deepEqual(errors, []);
  await context.close();
});

test('export then import round-trips, with the diff shown first; reload keeps edits', async () => {
  const { context, page } = await newPage();
  await open(page, 'case=missing-receipt&admin=1&user=王科长');
  await change(page, '29-direct-receipt', 'warning', '纸质送达回证另行归档');
  await statusOf(page, RECEIPT, 'missing');
  await widget(page).locator('.admin-log li').first().waitFor();
  await change(page, '35-reinspection-av', 'disabled', '本局复查一律另行书面记录');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelectorAll('.admin-log li').length === 2);
  const before = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  // Reload keeps the edits (and the log).
  await page.reload();
  await widget(page).locator('section.admin').waitFor();
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelectorAll('.admin-log li').length === 2);
  const reloaded = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  assert.equal(reloaded.fingerprint, before.fingerprint);
  assert.equal(reloaded.origin, 'local');
  assert.ok((await item(page, RECEIPT).textContent()).includes('本机关配置：未满足时不阻止提交'));
  // Export.
  const download = await waitForDownload(page, () => widget(page).locator('#admin-export').click());
  assert.match(download.suggestedFilename(), /^长沙县[^-]*-本机关配置-\d{4}-\d{2}-\d{2}\.json$/);
  const file = path.join(ARTIFACTS, 'exported-config.json');
  await download.saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(exported.pack, 'changsha-zfj');
  assert.equal(exported.rules['29-direct-receipt'].severity, 'warning');
  assert.equal(exported.log.length, 2);
  // Undo, then discard the local edits: back to the platform's config.
  await widget(page).locator('#admin-undo').click();
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelectorAll('.admin-log li').length === 3);
  await widget(page).locator('#admin-discard-local').click();
  const host = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  assert.equal(host.origin, 'host');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.gate').textContent.trim() === '1 项阻止提交');
  // Import: the diff against the current config is shown before anything changes.
  await widget(page).locator('#admin-import').setInputFiles(file);
  const region = widget(page).getByRole('region', { name: '导入的配置与当前配置的差异' });
  await region.waitFor();
  const diff = await region.textContent();
  assert.ok(diff.includes(before.fingerprint), diff);
  // The local edits started from the platform's config (41-av-stored-24h): two overrides added.
  assert.ok(diff.includes('新增调整（2）') && !diff.includes('删除调整'), diff);
  assert.ok(diff.includes('本机关全部案件 · 直接送达：《送达回证》') && diff.includes('本机关全部案件 · 复查根据需要进行全过程音像记录'), diff);
  assert.ok(!diff.includes('29-direct-receipt') && !diff.includes('agency'), diff);
  await shot(page, 'import-diff');
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交', 'not applied yet');
  await widget(page).locator('#admin-apply-import').click();
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.gate').textContent.trim() === '可以提交');
  const after = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  assert.equal(after.fingerprint, before.fingerprint, 'round trip: same fingerprint');
  assert.equal(after.config.log.length, 2, 'the log came with the file');
  // A broken file is refused with its location; the imported config stays.
  const broken = path.join(ARTIFACTS, 'broken-config.json');
  fs.writeFileSync(broken, '{"rules":{"29-direct-receipt":{"severity":"loud","reason":"x"}}}');
  await widget(page).locator('#admin-import').setInputFiles(broken);
  const err = widget(page).locator('#admin-error');
  await err.waitFor();
  assert.ok((await err.textContent()).includes('rules.29-direct-receipt.severity'));
  const still = await page.evaluate(() => document.querySelector('law-record-checklist').widget.config());
  assert.equal(still.fingerprint, before.fingerprint, 'nothing already saved is lost');
  await context.close();
});

test('a choice shows its effect before 应用; 应用 without a reason says so on the row', async () => {
  const { context, page, errors } = await newPage();
  await open(page, 'case=missing-receipt&admin=1&user=王科长');
  await widget(page).locator('#admin-search').fill('29-direct-receipt');
  const r = row(page, '29-direct-receipt');
  assert.equal(await r.locator('.preview').count(), 0, 'no preview while nothing is picked');
  await r.locator('select').selectOption('warning');
  const preview = r.locator('.preview');
  await preview.waitFor();
  const text = await preview.textContent();
  // The engine counted it over the current case and the samples: the current case's receipt is
  // what blocks it, so lowering the rule changes at least that item and that case's decision.
  assert.ok(text.startsWith('预览（尚未应用）'), text);
  const items = Number(text.match(/(\d+) 项清单变化/)[1]);
  const gates = Number(text.match(/(\d+) 件案件的提交结论变化/)[1]);
  assert.ok(items >= 1 && gates >= 1, text);
  assert.ok(text.includes('当前案件 长住建罚') && text.includes('提交结论由阻止提交变为可以提交'), text);
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交', 'a preview applies nothing');
  // 应用 with no reason: refused, and the row itself says what is missing.
  await r.getByRole('button', { name: '应用' }).click();
  const rowError = r.locator('.row-error');
  await rowError.waitFor();
  assert.ok((await rowError.textContent()).includes('请填写调整理由'), await rowError.textContent());
  assert.equal(await r.locator('input.reason').getAttribute('aria-invalid'), 'true');
  assert.equal((await widget(page).locator('.gate').textContent()).trim(), '1 项阻止提交');
  await shot(page, 'preview');
  await r.locator('input.reason').fill('纸质送达回证另行归档');
  await r.getByRole('button', { name: '应用' }).click();
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('.gate').textContent.trim() === '可以提交');
  assert.equal(await r.locator('.preview, .row-error').count(), 0, 'applied: no preview, no error');
  // The status after applying counts the same as the preview did.
  const effect = await widget(page).locator('#admin-effect').textContent();
  assert.ok(effect.includes(`${items} 项清单变化，${gates} 件案件的提交结论变化`), effect);
  assert.deepEqual(errors, []);
  await context.close();
});

test('rules filter by step and 只看已调整; one control picks the scope, departments included', async () => {
  const { context, page, errors } = await newPage();
  await open(page, 'case=missing-receipt&admin=1&user=王科长');
  const rules = widget(page).locator('li.rule');
  await rules.first().waitFor();
  const total = await rules.count();
  assert.ok(total > 40, `${total} rules`);
  await widget(page).locator('#admin-step').selectOption({ label: '送达' });
  const steps = await rules.evaluateAll((ls) => [...new Set(ls.map((l) => l.dataset.step))]);
  assert.equal(steps.length, 1, steps.join());
  const serve = await rules.count();
  assert.ok(serve > 0 && serve < total, `${serve} of ${total}`);
  await widget(page).locator('#admin-step').selectOption('');
  // Changed only: the platform's config lowers 41-av-stored-24h; nothing else is adjusted yet.
  await widget(page).locator('#admin-changed-only').check();
  assert.deepEqual(await rules.evaluateAll((ls) => ls.map((l) => l.dataset.rule)), ['41-av-stored-24h']);
  await widget(page).locator('#admin-changed-only').uncheck();
  assert.equal(await rules.count(), total);
  // One control for the scope: agency, each procedure, each department, or another department.
  const scope = widget(page).locator('#admin-scope');
  const labels = await scope.locator('option').evaluateAll((os) => os.map((o) => o.textContent));
  assert.equal(labels[0], '本机关全部案件');
  assert.ok(labels.includes('仅行政处罚一般程序') && labels.at(-1) === '其他部门…', labels.join());
  assert.ok((await widget(page).locator('#admin-scope-help').textContent()).includes('部门的调整优先于程序的调整'));
  assert.equal(await widget(page).locator('#admin-department').count(), 0, 'no separate department field');
  await scope.selectOption('department-other');
  const dept = widget(page).locator('#admin-department');
  await dept.fill('执法一中队');
  await dept.press('Enter');
  await page.waitForFunction(() => document.querySelector('law-record-checklist').shadowRoot.querySelector('#admin-scope').value === 'department:执法一中队');
  assert.equal(await dept.count(), 0);
  await change(page, '35-reinspection-av', 'disabled', '一中队复查另行书面记录');
  await page.waitForFunction(() => document.querySelectorAll && document.querySelector('law-record-checklist').shadowRoot.querySelectorAll('.admin-log li').length === 1);
  assert.ok((await widget(page).locator('.admin-log li').first().textContent()).includes('复查根据需要进行全过程音像记录（仅执法一中队）'));
  const cfg = (await page.evaluate(() => document.querySelector('law-record-checklist').widget.config())).config;
  assert.equal(cfg.departments['执法一中队']['35-reinspection-av'].disabled, true);
  assert.equal(cfg.rules['35-reinspection-av'], undefined, 'only that department');
  // The department is listed in the menu from now on.
  const again = await scope.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(again.includes('department:执法一中队'), again.join());
  await shot(page, 'filters-scope');
  assert.deepEqual(errors, []);
  await context.close();
});

test('导入配置文件… is a button the keyboard reaches and opens; exports share one name pattern', async () => {
  const { context, page, errors } = await newPage();
  // Playwright turns on file-chooser interception when a listener is added, asynchronously:
  // added now, it is on before the key press that opens the picker.
  page.on('filechooser', () => {});
  await open(page, 'case=missing-receipt&admin=1&user=王科长');
  const exp = widget(page).locator('#admin-export');
  await exp.focus();
  await page.keyboard.press('Tab');
  const focusedId = await page.evaluate(() => document.querySelector('law-record-checklist').shadowRoot.activeElement?.id);
  assert.equal(focusedId, 'admin-import-button', 'Tab from 导出 reaches 导入');
  assert.equal((await widget(page).locator('#admin-import-button').textContent()).trim(), '导入配置文件…');
  const download = await waitForDownload(page, () => exp.click());
  const name = download.suggestedFilename();
  assert.match(name, /^长沙县[^-]*-本机关配置-\d{4}-\d{2}-\d{2}\.json$/);
  const file = path.join(ARTIFACTS, name);
  await download.saveAs(file);
  // Enter on the focused button opens the file picker; the file chosen there is read.
  await widget(page).locator('#admin-import-button').focus();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
  await chooser.setFiles(file);
  const region = widget(page).getByRole('region', { name: '导入的配置与当前配置的差异' });
  await region.waitFor();
  assert.ok((await region.textContent()).includes('与当前配置相同'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('admin mode fits a 360-px side panel: the pack and scope menus do not stick out', async () => {
  const context = await newContext(browser, { viewport: { width: 360, height: 720 } });
  const page = await context.newPage();
  await open(page, 'case=missing-receipt&admin=1&user=王科长');
  const out = await page.evaluate(() => {
    const root = document.querySelector('law-record-checklist').shadowRoot;
    const box = root.querySelector('.lrc');
    const right = box.getBoundingClientRect().right;
    const wide = [...root.querySelectorAll('.admin .row *')]
      .filter((e) => e.getBoundingClientRect().right > right + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} ${Math.round(e.getBoundingClientRect().right - right)} px`);
    return { overflow: box.scrollWidth - box.clientWidth, wide, width: document.querySelector('law-record-checklist').getBoundingClientRect().width, page: document.documentElement.scrollWidth };
  });
  await shot(page, '360');
  assert.deepEqual(out.wide, [], 'every control inside the panel');
  assert.ok(out.overflow <= 1, `no horizontal scrolling (${out.overflow} px)`);
  assert.ok(out.width <= 360 && out.page <= 360, `the widget ${out.width} px, the page ${out.page} px`);
  await context.close();
});
