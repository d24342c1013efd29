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

/**
 * Checks a settings document and returns it normalised; throws an Error with a zh-CN message
 * naming what is wrong. `agencyConfig` and `adapters` may be objects or JSON text (policy
 * values are strings).
 */
export function normalize(raw) {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error('设置必须是一个 JSON 对象。');
  }
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
    const where = 'adapters[' + i + ']';
    if (!a || typeof a !== 'object') {
      throw new Error(where + ' 必须是对象。');
    }
    if (!Array.isArray(a.pages) || a.pages.length === 0) {
      throw new Error(where + '.pages 必须列出适配的页面地址。');
    }
    ['mount', 'case_id', 'records'].forEach(function (k) {
      if (!a[k]) {
        throw new Error(where + ' 缺少 ' + k + '。');
      }
    });
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
