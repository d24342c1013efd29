// @ts-check
// The options page: shows the settings in effect; saves local settings after checking them.
// When the administrator's policy provides settings, they are shown read-only and nothing
// local can be saved over them, with what the policy delivered and what did not arrive.
import { effective, normalize, local, LOCAL_KEY, SETTINGS_KEYS, SOURCE_NAMES } from './settings.js';
import { packs, evaluate } from './widget/law-record-checklist.js';

const area = /** @type {HTMLTextAreaElement} */ (document.getElementById('settings'));
const message = document.getElementById('message');
const save = /** @type {HTMLButtonElement} */ (document.getElementById('save'));
const reset = /** @type {HTMLButtonElement} */ (document.getElementById('reset'));
const policy = document.getElementById('policy');

function say(text, ok) {
  message.textContent = text;
  message.className = ok ? 'ok' : 'error';
}

function managedRaw() {
  return new Promise(function (resolve) {
    if (!chrome.storage.managed) {
      resolve({});
      return;
    }
    chrome.storage.managed.get(null, function (items) {
      resolve(chrome.runtime.lastError ? {} : items || {});
    });
  });
}

/**
 * What the policy delivered, and which settings did not arrive. Chromium drops a policy value
 * whose type is not the one managed_schema.json declares (every value is JSON text or a list
 * of texts) before the extension sees it, without a word: a key the administrator set that is
 * missing here was dropped (chrome://policy shows why).
 */
function showPolicy(raw) {
  const got = Object.keys(raw).filter(function (k) { return SETTINGS_KEYS.indexOf(k) >= 0; });
  const missing = SETTINGS_KEYS.filter(function (k) { return got.indexOf(k) < 0; });
  const extra = Object.keys(raw).filter(function (k) { return SETTINGS_KEYS.indexOf(k) < 0; });
  policy.hidden = false;
  policy.textContent = '策略下发的项：' + (got.length ? got.join('、') : '无') + '。' +
    (missing.length ? '未收到的项：' + missing.join('、') + '（管理员如设置了其中某项而此处没有，是浏览器因类型不符丢弃了它：' +
      'adapters、agencyConfig 须为 JSON 文本，hosts 为文本列表；原因见 chrome://policy）。' : '') +
    (extra.length ? '不认识的项：' + extra.join('、') + '。' : '');
  document.body.dataset.policyKeys = got.join(',');
  document.body.dataset.policyMissing = missing.join(',');
}

function show() {
  return Promise.all([effective(), managedRaw()]).then(function (r) {
    const s = r[0];
    document.getElementById('source').textContent = '当前生效的设置来自：' + SOURCE_NAMES[s.source] +
      (s.error ? '（有误，扩展暂停工作：' + s.error + '）' : '');
    area.value = JSON.stringify(s.error ? s.raw : s.settings, null, 2);
    const managed = s.source === 'managed';
    document.getElementById('managed-note').hidden = !managed;
    if (managed) {
      showPolicy(r[1]);
    } else {
      policy.hidden = true;
    }
    area.readOnly = managed;
    save.disabled = managed;
    reset.disabled = managed;
    document.body.dataset.source = s.source;
  });
}

/**
 * What normalize() cannot check without the rules engine: the rule pack ids (the settings'
 * `agency`, the config's `pack`) and the agency config itself (unknown rules, procedures,
 * overrides a must rule does not allow), by checking an empty case with it.
 */
function checkWithEngine(s) {
  return packs().then(function (r) {
    const ids = r.packs.map(function (p) { return p.id; });
    const pack = s.agency || (s.agencyConfig && s.agencyConfig.pack);
    [['agency', s.agency], ['agencyConfig.pack', s.agencyConfig && s.agencyConfig.pack]].forEach(function (x) {
      if (x[1] !== undefined && ids.indexOf(x[1]) < 0) {
        throw new Error(x[0] + ' 的规则包「' + x[1] + '」不存在（可用：' + ids.join('、') + '）。');
      }
    });
    if (!s.agencyConfig || !pack) {
      return null;
    }
    const probe = { id: '设置检查', agency: pack, procedure: 'ordinary', records: [], activities: [], services: [] };
    return evaluate(probe, { agency: pack, config: s.agencyConfig, now: '2026-01-01T00:00' }).then(function (res) {
      // The probe case is well-formed: a failure is the config's (or its pack's).
      if (res.type === 'failure') {
        throw new Error('agencyConfig（本机关配置）有误：' + res.error.message + '（' + res.error.code + '）');
      }
      return null;
    });
  });
}

save.addEventListener('click', function () {
  let parsed;
  try {
    parsed = normalize(JSON.parse(area.value));
  } catch (e) {
    say('未保存：' + e.message, false);
    return;
  }
  say('正在检查……', true);
  // Policy first: managed settings are refused whatever the text holds.
  effective().then(function (s) {
    if (s.source === 'managed') {
      throw new Error('设置由管理员策略下发。');
    }
    return checkWithEngine(parsed);
  }).then(function () {
    return local.set({ [LOCAL_KEY]: parsed }).then(function () {
      say('已保存。刷新平台页面后生效。', true);
      return show();
    });
  }).catch(function (e) {
    say('未保存：' + (e && e.message || e), false);
  });
});

reset.addEventListener('click', function () {
  local.remove(LOCAL_KEY).then(function () {
    say('已恢复内置示例。', true);
    return show();
  });
});

// ---- 读取测试: what the adapter read from the last platform page, field by field ----

const readingBody = document.getElementById('reading-body');
const readingWhere = document.getElementById('reading-where');
const readingTab = /** @type {HTMLSelectElement} */ (document.getElementById('reading-tab'));
// The page the administrator chose (`tab:frame`); none chosen: the page read last.
let chosen = '';

function el(tag, text, cls) {
  const e = document.createElement(tag);
  // Page text is shown as text, never as markup.
  if (text !== undefined) { e.textContent = text; }
  if (cls) { e.className = cls; }
  return e;
}

function table(head, rows) {
  const t = el('table');
  const tr = el('tr');
  head.forEach(function (h) { tr.appendChild(el('th', h)); });
  t.appendChild(tr);
  rows.forEach(function (r) {
    const row = el('tr');
    r.forEach(function (v) { row.appendChild(el('td', v === undefined || v === '' ? '（无）' : String(v))); });
    t.appendChild(row);
  });
  return t;
}

function list(items, cls, title) {
  const box = el('div', undefined, cls);
  box.appendChild(el('h3', title));
  const ul = el('ul');
  items.forEach(function (x) { ul.appendChild(el('li', x)); });
  box.appendChild(ul);
  return box;
}

/** Shows a reading (see content.js `report`), or says there is none yet. */
function showReading(r) {
  readingBody.textContent = '';
  if (!r) {
    readingWhere.textContent = '';
    readingBody.appendChild(el('p', '还没有读取过平台页面：打开一个案件页面后，这里显示读取结果。', 'muted'));
    document.body.dataset.reading = 'none';
    return;
  }
  readingWhere.textContent = '页面 ' + r.url + ' · 适配器「' + r.adapter + '」· 配置：' + (r.source || '') +
    ' · 读取于 ' + new Date(r.at).toLocaleString('zh-CN');
  if (r.errors.length) {
    readingBody.appendChild(list(r.errors.map(function (e) {
      return '「' + e.name + '」（' + e.field + '）' + e.message + (e.syntax ? '（适配器写法有误）' : '');
    }), 'errors', '读取出错的项（' + r.errors.length + '）'));
  }
  if (r.warnings.length) {
    readingBody.appendChild(list(r.warnings, 'warnings', '提示'));
  }
  const c = r.case;
  if (!c) {
    readingBody.appendChild(el('p', r.errors.length ? '没有读出案件。' : '页面上还没有案件（案号为空）。', 'muted'));
  } else {
    readingBody.appendChild(el('h3', '案件'));
    const fields = [['案号', 'case_id', c.id], ['程序', 'procedure', c.procedure], ['规则包', 'agency', c.agency],
      ['承办部门', 'department', c.department]];
    Object.keys(c.facts || {}).forEach(function (k) { fields.push(['案件时间 ' + k, 'facts.' + k, c.facts[k]]); });
    // A field that failed shows that, not the default the case fell back on (程序 ordinary).
    const failed = function (path) { return r.errors.some(function (e) { return e.field === path; }); };
    readingBody.appendChild(table(['项', '适配器中的位置', '读到的值'], fields.map(function (f) {
      return failed(f[1]) ? [f[0], f[1], '（读取出错，见上）'] : f;
    })));
    if (c.activities.length) {
      readingBody.appendChild(el('h3', '执法活动（' + c.activities.length + ' 项）'));
      readingBody.appendChild(table(['编号', '类型', '开始时间', '结束时间', '地点'], c.activities.map(function (a) {
        return [a.id, a.kind, a.start, a.end, a.place];
      })));
    }
    if (c.services.length) {
      readingBody.appendChild(el('h3', '送达（' + c.services.length + ' 项）'));
      readingBody.appendChild(table(['编号', '送达文书', '送达方式', '送达时间'], c.services.map(function (s) {
        return [s.id, s.document, s.method, s.at];
      })));
    }
    const rows = [];
    const signer = function (g) {
      return g.role + (g.name ? '：' + g.name : '') + (g.refused ? '（拒签）' : '') + (g.every_page ? '（逐页）' : '') + (g.date ? ' ' + g.date : '');
    };
    const media = function (m) {
      const times = [m.recorded_from && '拍摄 ' + m.recorded_from + (m.recorded_to ? '–' + m.recorded_to : ''),
        !m.recorded_from && m.recorded_to && '拍摄至 ' + m.recorded_to, m.stored_at && '存储 ' + m.stored_at].filter(Boolean);
      return m.name + (times.length ? '（' + times.join('，') + '）' : '');
    };
    const add = function (owner, recs) {
      recs.forEach(function (x) {
        rows.push([owner, x.id, x.kind, x.made_at, x.pages, (x.elements || []).join('、'),
          (x.signatures || []).map(signer).join('、'), (x.media || []).map(media).join('、')]);
      });
    };
    add('案件', c.records);
    c.activities.forEach(function (a) { add('执法活动 ' + a.id + (a.kind ? '（' + a.kind + '）' : ''), a.records); });
    c.services.forEach(function (s) { add('送达 ' + s.id + (s.document ? '（' + s.document + '，' + s.method + '）' : ''), s.records); });
    readingBody.appendChild(el('h3', '记录（' + rows.length + ' 条）'));
    readingBody.appendChild(table(['所属', '记录编号', '记录类型', '制作时间', '页数', '记录要素', '签名', '音像文件'], rows));
  }
  document.body.dataset.reading = r.errors.length ? 'errors' : 'ok';
}

// The readings known here, by `tab:frame`: from the service worker, and as they come.
/** @type {Record<string, any>} */
let known = {};

/** Lists the platform pages read (the latest first) and shows the chosen one. */
function showReadings() {
  const readings = Object.keys(known).map(function (k) { return known[k]; })
    .sort(function (a, b) { return a.at < b.at ? 1 : a.at > b.at ? -1 : 0; });
  readingTab.textContent = '';
  readings.forEach(function (r) {
    const o = el('option', (r.title || '（无标题）') + ' · ' + r.url + ' · 适配器「' + r.adapter + '」');
    o.value = r.key;
    readingTab.appendChild(o);
  });
  readingTab.disabled = readings.length === 0;
  const pick = readings.filter(function (r) { return r.key === chosen; })[0] || readings[0] || null;
  if (pick) { readingTab.value = pick.key; }
  document.body.dataset.readings = String(readings.length);
  showReading(pick);
}

function loadReading() {
  chrome.runtime.sendMessage({ type: 'lrc-reading-get' }, function (r) {
    // No service worker to answer (MV3 starting up): nothing read yet, as far as we know.
    known = {};
    (chrome.runtime.lastError || !Array.isArray(r) ? [] : r).forEach(function (x) { known[x.key] = x; });
    showReadings();
  });
}

readingTab.addEventListener('change', function () {
  chosen = readingTab.value;
  showReadings();
});
document.getElementById('reading-refresh').addEventListener('click', loadReading);
// A content script's reading reaches this page too (as the service worker keeps it): shown
// as it comes; null when its page has no adapter any more.
chrome.runtime.onMessage.addListener(function (msg, sender) {
  if (msg && msg.type === 'lrc-reading' && sender.id === chrome.runtime.id && sender.tab) {
    const key = sender.tab.id + ':' + (sender.frameId || 0);
    if (msg.reading && typeof msg.reading === 'object') {
      known[key] = Object.assign({}, msg.reading, { tab: sender.tab.id, key: key });
    } else {
      delete known[key];
    }
    showReadings();
  }
  return false;
});
// A tab closed is no platform page open: asked again now and then.
setInterval(loadReading, 5000);

show();
loadReading();
