// @ts-check
// The extension's settings: where it runs, which rule pack and agency config apply, and the
// page adapters. Three sources, first found wins as a whole (never merged, so a managed
// deployment cannot be partly overridden on the officer's PC):
//   1. chrome.storage.managed — set by the administrator through enterprise policy;
//   2. chrome.storage.local   — saved on the options page (only when nothing is managed);
//   3. the built-in sample for the demo platform.
// Only extension pages import this module; the content script asks the service worker.

/**
 * chrome.storage.local with promises, in both builds: Manifest V2 (Chromium 83–102) has
 * callback APIs only, and a call without a callback there returns nothing.
 */
function call(method, arg) {
  return new Promise(function (resolve, reject) {
    chrome.storage.local[method](arg, function (result) {
      if (chrome.runtime.lastError) {
        reject(new Error(chrome.runtime.lastError.message));
      } else {
        resolve(result);
      }
    });
  });
}

export const local = {
  get: function (keys) { return call('get', keys); },
  set: function (items) { return call('set', items); },
  remove: function (keys) { return call('remove', keys); },
};

/** The sample adapter, shipped in `adapters/`. */
export const SAMPLE_ADAPTER_URL = 'adapters/demo-platform.json';

/** The key under which the options page stores the settings document. */
export const LOCAL_KEY = 'settings';

function parseJsonText(value, what) {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new Error(what + ' 不是有效的 JSON：' + e.message);
  }
}

/** The keys of a settings document. */
export const SETTINGS_KEYS = ['hosts', 'agency', 'officer', 'agencyConfig', 'configFingerprint', 'adapters', 'now'];

/**
 * The adapter format (adapter.schema.json says the same; a test keeps them equal): the keys of
 * an adapter, of its parts, and of a value given as an object.
 */
export const ADAPTER_KEYS = {
  adapter: ['name', 'pages', 'mount', 'case_id', 'procedure', 'agency', 'department', 'facts', 'owners', 'activities', 'services', 'records', 'files', 'submit'],
  mount: ['selector', 'field', 'position'],
  owners: ['list', 'activity', 'service', 'service_method'],
  records: ['list', 'rows', 'header', 'placeholder', 'id', 'kind', 'made_at', 'owner', 'elements', 'pages', 'signatures', 'signed_at', 'signed_every_page', 'media', 'media_recorded_from', 'media_recorded_to', 'media_stored_at'],
  activities: ['list', 'rows', 'header', 'placeholder', 'id', 'kind', 'start', 'end', 'place'],
  services: ['list', 'rows', 'header', 'placeholder', 'id', 'document', 'method', 'at'],
  file: ['input', 'item', 'rule', 'row', 'target'],
  value: ['selector', 'field', 'column', 'global', 'attr', 'pattern', 'map', 'split', 'type', 'value', 'optional'],
};

function unknownKeys(obj, allowed, where) {
  Object.keys(obj).forEach(function (k) {
    if (allowed.indexOf(k) < 0) {
      throw new Error(where + ' 有未知的项「' + k + '」（可用：' + allowed.join('、') + '）。');
    }
  });
}

/** A CSS selector the browser accepts (checked where there is a document: not in the MV3 worker). */
function checkSelector(sel, where) {
  if (typeof sel !== 'string' || sel.trim() === '') {
    throw new Error(where + ' 必须是 CSS 选择器文本。');
  }
  if (typeof document === 'undefined') {
    return;
  }
  try {
    document.createDocumentFragment().querySelector(sel);
  } catch (e) {
    throw new Error(where + ' 的选择器「' + sel + '」写法有误。');
  }
}

function checkPattern(source, where) {
  try {
    new RegExp(source);
  } catch (e) {
    throw new Error(where + ' 的正则表达式「' + source + '」写法有误（' + e.message + '）。');
  }
}

/** A page variable's path from window, as adapter.schema.json allows it. */
const GLOBAL_PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*|\[[0-9]+\])*$/;

/** A value: a selector, or `{selector | field | column | global | value, …}`. */
function checkValue(v, where) {
  if (typeof v === 'string') {
    checkSelector(v, where);
    return;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(where + ' 必须是选择器文本或对象。');
  }
  unknownKeys(v, ADAPTER_KEYS.value, where);
  if (v.value === undefined && v.selector === undefined && v.field === undefined && v.column === undefined && v.global === undefined) {
    throw new Error(where + ' 需要 selector、field、column、global 或 value 之一。');
  }
  if (v.global !== undefined) {
    if (typeof v.global !== 'string' || !GLOBAL_PATH.test(v.global)) {
      throw new Error(where + '.global 必须是页面变量的路径，如 caseInfo.procCode 或 list[0].time。');
    }
    if (/\.(records|activities|services)|\.submit$/.test(where)) {
      throw new Error(where + '.global 只能用于案件一级的值（案号、程序、承办部门、案件时间等），不能用于记录表格的行或提交按钮。');
    }
  }
  if (v.column !== undefined && (typeof v.column !== 'string' || v.column.trim() === '')) {
    throw new Error(where + '.column 必须是表头文字。');
  }
  if (v.selector !== undefined) { checkSelector(v.selector, where + '.selector'); }
  if (v.pattern !== undefined) { checkPattern(v.pattern, where + '.pattern'); }
  if (v.type !== undefined && ['time', 'number'].indexOf(v.type) < 0) {
    throw new Error(where + '.type 只能是 time 或 number。');
  }
}

/** Throws a zh-CN Error naming the first thing wrong in adapter `a` (at `where`). */
export function checkAdapter(a, where) {
  if (!a || typeof a !== 'object' || Array.isArray(a)) {
    throw new Error(where + ' 必须是对象。');
  }
  unknownKeys(a, ADAPTER_KEYS.adapter, where);
  if (!Array.isArray(a.pages) || a.pages.length === 0 || a.pages.some(function (p) { return typeof p !== 'string'; })) {
    throw new Error(where + '.pages 必须列出适配的页面地址。');
  }
  ['mount', 'case_id', 'records'].forEach(function (k) {
    if (!a[k]) {
      throw new Error(where + ' 缺少 ' + k + '。');
    }
  });
  if (typeof a.mount === 'string') {
    checkSelector(a.mount, where + '.mount');
  } else {
    unknownKeys(a.mount, ADAPTER_KEYS.mount, where + '.mount');
    if (a.mount.selector !== undefined) { checkSelector(a.mount.selector, where + '.mount.selector'); }
    if (a.mount.position !== undefined && ['append', 'before', 'after'].indexOf(a.mount.position) < 0) {
      throw new Error(where + '.mount.position 只能是 append、before 或 after。');
    }
  }
  ['case_id', 'procedure', 'agency', 'department', 'submit'].forEach(function (k) {
    if (a[k] !== undefined) { checkValue(a[k], where + '.' + k); }
  });
  if (a.facts !== undefined) {
    Object.keys(a.facts).forEach(function (k) { checkValue(a.facts[k], where + '.facts.' + k); });
  }
  if (a.owners !== undefined) {
    unknownKeys(a.owners, ADAPTER_KEYS.owners, where + '.owners');
    if (a.owners.list !== undefined) { checkSelector(a.owners.list, where + '.owners.list'); }
    ['activity', 'service'].forEach(function (k) {
      if (a.owners[k] !== undefined) { checkPattern(a.owners[k], where + '.owners.' + k); }
    });
  }
  // One records table, or a list of tables with columns of their own.
  if (Array.isArray(a.records) && a.records.length === 0) {
    throw new Error(where + '.records 至少要有一个记录表格。');
  }
  ['records', 'activities', 'services'].forEach(function (name) {
    if (a[name] === undefined) { return; }
    const tables = Array.isArray(a[name]) ? a[name] : [a[name]];
    tables.forEach(function (r, t) {
      const w = where + (Array.isArray(a[name]) ? '.' + name + '[' + t + ']' : '.' + name);
      if (!r || typeof r !== 'object' || Array.isArray(r)) {
        throw new Error(w + ' 必须是对象。');
      }
      unknownKeys(r, ADAPTER_KEYS[name], w);
      if (r.list === undefined) {
        throw new Error(w + ' 缺少 list。');
      }
      checkValue(r.list, w + '.list');
      if (r.rows !== undefined) { checkSelector(r.rows, w + '.rows'); }
      if (r.header !== undefined) { checkSelector(r.header, w + '.header'); }
      if (r.placeholder !== undefined) { checkPattern(r.placeholder, w + '.placeholder'); }
      ADAPTER_KEYS[name].slice(4).forEach(function (k) {
        if (r[k] !== undefined) { checkValue(r[k], w + '.' + k); }
      });
    });
  });
  if (a.files !== undefined) {
    if (!Array.isArray(a.files)) {
      throw new Error(where + '.files 必须是数组。');
    }
    a.files.forEach(function (f, i) {
      const w = where + '.files[' + i + ']';
      if (!f || typeof f !== 'object') { throw new Error(w + ' 必须是对象。'); }
      unknownKeys(f, ADAPTER_KEYS.file, w);
      checkSelector(f.input, w + '.input');
      if (f.item !== undefined) {
        if (f.rule !== undefined || f.row !== undefined || f.target !== undefined) {
          throw new Error(w + ' 的 item 与 rule、row、target 只能选一种写法。');
        }
        if (typeof f.item !== 'string' || f.item.indexOf('@') < 0) {
          throw new Error(w + '.item 必须是清单事项，如 13-inspection-av@A1。');
        }
        return;
      }
      // The item built from the page: a rule, and its target (an activity's or a record's
      // number) read where the file input sits, e.g. in the same table row.
      if (typeof f.rule !== 'string' || f.rule.trim() === '' || f.rule.indexOf('@') >= 0) {
        throw new Error(w + ' 需要 item（清单事项，如 13-inspection-av@A1），或 rule（规则编号，不含 @，如 13-inspection-av）和 target。');
      }
      if (f.target === undefined) {
        throw new Error(w + '.target 必须写明从页面哪里读取对象编号，如 {"column": "活动编号"} 或 "td.act-id"。');
      }
      if (f.target && typeof f.target === 'object' && f.target.global !== undefined && f.row !== undefined) {
        throw new Error(w + '.target 的 global（页面变量）不能与 row 同用。');
      }
      checkValue(f.target, w + '.target');
      if (f.target && typeof f.target === 'object' && f.target.column !== undefined) {
        throw new Error(w + '.target 不能用 column（只用于记录表格）；请用所在行里的选择器，如 "td:first-child"。');
      }
      if (f.row !== undefined) { checkSelector(f.row, w + '.row'); }
    });
  }
}

/**
 * Checks a settings document and returns it normalised; throws an Error with a zh-CN message
 * naming what is wrong. `agencyConfig` and `adapters` may be objects or JSON text (policy
 * values are strings).
 */
export function normalize(raw) {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error('设置必须是一个 JSON 对象。');
  }
  unknownKeys(raw, SETTINGS_KEYS, '设置');
  const out = {};
  const hosts = raw.hosts === undefined ? [] : raw.hosts;
  if (!Array.isArray(hosts) || hosts.some(function (h) { return typeof h !== 'string' || !/^(\*|https?):\/\/[^/]+\/.*$/.test(h); })) {
    throw new Error('hosts 必须是匹配模式的数组，如 ["https://zfpt.example.gov.cn/*"]。');
  }
  out.hosts = hosts;
  ['agency', 'officer', 'configFingerprint', 'now'].forEach(function (k) {
    if (raw[k] !== undefined && raw[k] !== null && raw[k] !== '') {
      if (typeof raw[k] !== 'string') {
        throw new Error(k + ' 必须是文本。');
      }
      out[k] = raw[k];
    }
  });
  if (raw.agencyConfig !== undefined && raw.agencyConfig !== null && raw.agencyConfig !== '') {
    const cfg = parseJsonText(raw.agencyConfig, 'agencyConfig（本机关配置）');
    if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) {
      throw new Error('agencyConfig（本机关配置）必须是一个 JSON 对象。');
    }
    out.agencyConfig = cfg;
  }
  const adapters = raw.adapters === undefined ? [] : parseJsonText(raw.adapters, 'adapters（页面适配器）');
  if (!Array.isArray(adapters)) {
    throw new Error('adapters（页面适配器）必须是数组。');
  }
  adapters.forEach(function (a, i) {
    checkAdapter(a, 'adapters[' + i + ']');
  });
  out.adapters = adapters;
  return out;
}

function storageGet(area) {
  return new Promise(function (resolve) {
    if (!chrome.storage || !chrome.storage[area]) {
      resolve({});
      return;
    }
    chrome.storage[area].get(null, function (items) {
      // No policy for this extension reads as an error on some platforms: same as empty.
      resolve(chrome.runtime.lastError ? {} : (items || {}));
    });
  });
}

function packaged(url) {
  return fetch(chrome.runtime.getURL(url)).then(function (r) {
    return r.ok ? r.json() : null;
  }, function () {
    return null;
  });
}

/** The built-in sample settings: the demo platform on this machine. */
export function sample() {
  return packaged(SAMPLE_ADAPTER_URL).then(function (adapter) {
    return {
      hosts: ['http://127.0.0.1/*', 'http://localhost/*'],
      agency: 'changsha-zfj',
      now: '2026-03-25T10:00',
      adapters: adapter ? [adapter] : [],
    };
  });
}

/**
 * The settings in effect: `{settings, source: 'managed' | 'local' | 'sample', error}`.
 * A managed or local document that does not check is not silently replaced by another
 * source: the error is returned with no adapters, so the extension says so and does nothing.
 */
export function effective() {
  return Promise.all([storageGet('managed'), storageGet('local')]).then(function (r) {
    if (Object.keys(r[0]).length > 0) {
      return checked(r[0], 'managed');
    }
    if (r[1][LOCAL_KEY]) {
      return checked(r[1][LOCAL_KEY], 'local');
    }
    return sample().then(function (s) { return checked(s, 'sample'); });
  });
}

function checked(raw, source) {
  try {
    return { settings: normalize(raw), source: source, error: null };
  } catch (e) {
    return { settings: { hosts: [], adapters: [] }, source: source, error: e.message, raw: raw };
  }
}

/** How the source is named to officers. */
export const SOURCE_NAMES = { managed: '管理员策略下发', local: '本机设置', sample: '内置示例（演示平台）' };
