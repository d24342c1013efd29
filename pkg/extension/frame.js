// @ts-check
// The extension page that runs the widget, inside an iframe the content script puts on the
// platform page. Being the extension's own page, it may compile wasm whatever the platform's
// CSP says, and its storage, workers and IndexedDB (ticks, case log, file hashes) belong to
// the extension, not to the platform's origin. It talks only to the content script, over a
// MessageChannel handed to it once by the parent page with the secret the content script
// registered with the service worker.
import { mount } from './widget/law-record-checklist.js';
import { effective, local } from './settings.js';

// The origin of the platform page this frame sits in (set by the browser, not by the page).
const PARENT_ORIGIN = location.ancestorOrigins && location.ancestorOrigins.length ? location.ancestorOrigins[0] : null;

let port = null;
let widget = null;
// Set when the widget lets a submit through during the current attempt.
let allowedNow = false;
const host = document.getElementById('widget');
const proxy = document.getElementById('proxy-submit');

function post(msg) {
  if (port) {
    port.postMessage(msg);
  }
}

function notice(text) {
  const box = document.getElementById('notice');
  box.textContent = text;
  box.hidden = false;
}

// The secret the content script that created this frame registered with the service worker
// (null for a frame some page embedded on its own). Only a connection that carries it is
// accepted: the page around the frame can post to it, but does not know the secret.
const expectedSecret = new Promise(function (resolve) {
  // The frame of the tab whose content script created this one (`#f=N`, see content.js).
  const m = /^#f=(\d+)$/.exec(location.hash);
  if (!m) {
    resolve(null);
    return;
  }
  chrome.runtime.sendMessage({ type: 'lrc-frame-secret-take', frame: parseInt(m[1], 10) }, function (secret) {
    resolve(chrome.runtime.lastError ? null : secret || null);
  });
});

window.addEventListener('message', function (e) {
  const fromParent = e.source === window.parent && PARENT_ORIGIN !== null && e.origin === PARENT_ORIGIN;
  if (!fromParent || !e.data || e.data.type !== 'lrc-connect' || !e.ports || !e.ports[0]) {
    return;
  }
  const offered = e.data.secret;
  const channel = e.ports[0];
  expectedSecret.then(function (secret) {
    // Anything else is ignored without an answer: a page learns nothing, not even that the
    // extension is installed.
    if (port !== null || !secret || offered !== secret) {
      return;
    }
    port = channel;
    port.onmessage = function (m) { onMessage(m.data || {}); };
    start();
  });
});

function onMessage(msg) {
  if (!widget) {
    return;
  }
  if (msg.type === 'case') {
    if (msg.case) {
      widget.setCase(msg.case);
    }
  } else if (msg.type === 'attempt') {
    // The widget guards this button as it would the platform's own: Pass, Block or a reason.
    allowedNow = false;
    proxy.click();
    if (!allowedNow) {
      // The widget's dialog is open: the content script brings it into view.
      post({ type: 'held' });
    }
  } else if (msg.type === 'files' && widget.hashing && Array.isArray(msg.files)) {
    const files = msg.files.filter(function (f) { return f instanceof File; });
    if (files.length) {
      widget.hashing.attach(String(msg.item), files).catch(function (err) {
        notice('文件哈希计算失败：' + String(err && err.message || err));
      });
    }
  }
}

/** chrome.storage.local keys of the widget's localStorage entries. */
const LS_PREFIX = 'ls:';

/**
 * Gives the widget a localStorage kept in the extension's own storage. Chromium denies the web
 * storage of an extension frame embedded in a platform page when third-party cookies are
 * blocked (the default of a new profile here), and the widget keeps the officer's ticks,
 * reasons and the case log there. chrome.storage.local is the extension's, whatever the
 * cookie settings, and is not partitioned by the platform's site. Writes are kept in memory at
 * once and saved in the background; a failed save is shown.
 */
function installStorage() {
  return local.get(null).then(function (all) {
    const cache = new Map();
    Object.keys(all).forEach(function (k) {
      if (k.indexOf(LS_PREFIX) === 0 && typeof all[k] === 'string') {
        cache.set(k.slice(LS_PREFIX.length), all[k]);
      }
    });
    const failed = function (err) {
      notice('本机记录保存失败：' + String(err && err.message || err) + '。确认和理由可能在刷新后丢失。');
    };
    const storage = {
      getItem: function (k) { k = String(k); return cache.has(k) ? cache.get(k) : null; },
      setItem: function (k, v) {
        k = String(k);
        v = String(v);
        cache.set(k, v);
        local.set({ [LS_PREFIX + k]: v }).catch(failed);
      },
      removeItem: function (k) {
        k = String(k);
        cache.delete(k);
        local.remove(LS_PREFIX + k).catch(failed);
      },
      clear: function () {
        const keys = Array.from(cache.keys()).map(function (k) { return LS_PREFIX + k; });
        cache.clear();
        local.remove(keys).catch(failed);
      },
      key: function (i) { const keys = Array.from(cache.keys()); return i >= 0 && i < keys.length ? keys[i] : null; },
      get length() { return cache.size; },
    };
    Object.defineProperty(window, 'localStorage', { configurable: true, get: function () { return storage; } });
  });
}

/** chrome.storage.local keys of the case logs. */
const LOG_PREFIX = 'log:';

// What this frame knows is stored under each log key: `{n, last}` (entry count and last hash),
// from `load`, its own saves and other tabs' writes (storage.onChanged). Knowing it lets a save
// write at once, with no read first: a submit navigates the platform page away right after the
// log records it, and a write not yet issued by then would be lost with this frame.
const logKnown = {};

function logSummary(text) {
  const entries = typeof text === 'string' ? JSON.parse(text).entries : [];
  if (!Array.isArray(entries)) { throw new Error('entries'); }
  return { n: entries.length, last: entries.length ? entries[entries.length - 1].hash : null };
}

chrome.storage.onChanged.addListener(function (changes, area) {
  if (area !== 'local') { return; }
  Object.keys(changes).forEach(function (k) {
    if (k.indexOf(LOG_PREFIX) === 0 && Object.prototype.hasOwnProperty.call(logKnown, k)) {
      try { logKnown[k] = logSummary(changes[k].newValue); } catch (e) { /* checked on load */ }
    }
  });
});

function logFailed(err) {
  return '操作日志未能保存到扩展的本机存储（' + String(err && err.message || err) +
    '），本次记录只保存在当前页面中，此前已保存的记录不受影响。关闭页面前请导出日志';
}

/**
 * The widget's case log (a hash chain) in chrome.storage.local, for the reason given at
 * installStorage: the IndexedDB the loader would use is denied to this frame as well. Each
 * save only extends the stored chain (a second tab's different continuation is refused, not
 * overwritten), and a stored copy that cannot be read is moved aside rather than replaced.
 */
const logStore = {
  load: function (key) {
    const k = LOG_PREFIX + key;
    return local.get(k).then(function (r) {
      const text = r[k];
      try {
        logKnown[k] = logSummary(text);
        return { entries: typeof text === 'string' ? JSON.stringify(JSON.parse(text).entries) : '[]', warning: null };
      } catch (e) {
        const aside = k + '.unreadable-' + Date.now();
        return local.set({ [aside]: text }).then(function () {
          return local.remove(k);
        }).then(function () {
          logKnown[k] = { n: 0, last: null };
          return { entries: '[]', warning: '扩展中保存的操作日志无法读取，原文已另存为 `' + aside + '`，请报告法制科' };
        });
      }
    }).catch(function (err) {
      return { entries: '[]', warning: '扩展中保存的操作日志无法读取（' + String(err && err.message || err) + '）' };
    });
  },
  save: function (key, text) {
    const k = LOG_PREFIX + key;
    let entries;
    try { entries = JSON.parse(text).entries; } catch (e) { return Promise.resolve(logFailed(e)); }
    const known = logKnown[k] || { n: 0, last: null };
    if (known.n > entries.length || (known.n > 0 && entries[known.n - 1].hash !== known.last)) {
      return Promise.resolve('本案操作日志已在其他标签页或窗口中更新：本次记录只保存在当前页面中，关闭页面前请导出日志');
    }
    logKnown[k] = { n: entries.length, last: entries.length ? entries[entries.length - 1].hash : null };
    // Issued now, in call order; the browser applies the writes in that order.
    return local.set({ [k]: text }).then(function () { return null; }, logFailed);
  },
};

/** chrome.storage.local key of a case's hashed files. */
function mediaKey(caseId) {
  return 'media:' + caseId;
}

let mediaQueue = Promise.resolve();

/** Runs `change(map)` on a case's stored entries (id → entry), one change at a time. */
function changeMedia(caseId, change) {
  const k = mediaKey(caseId);
  const run = function () {
    return local.get(k).then(function (r) {
      const map = Object.assign({}, r[k] || {});
      change(map);
      return Object.keys(map).length ? local.set({ [k]: map }) : local.remove(k);
    });
  };
  mediaQueue = mediaQueue.then(run, run);
  return mediaQueue;
}

/**
 * The fingerprints of hashed files in chrome.storage.local (IndexedDB, where the page widget
 * keeps them, is denied to this frame too): a reload or a closed tab loses no finished hash.
 */
const mediaStore = {
  list: function (caseId) {
    const k = mediaKey(caseId);
    return local.get(k).then(function (r) {
      return Object.values(r[k] || {}).sort(function (a, b) { return a.seq - b.seq; });
    });
  },
  put: function (entry) {
    return changeMedia(entry.caseId, function (map) { map[entry.id] = entry; });
  },
  remove: function (id) {
    return local.get(null).then(function (all) {
      const k = Object.keys(all).find(function (key) {
        return key.indexOf('media:') === 0 && all[key] && Object.prototype.hasOwnProperty.call(all[key], id);
      });
      return k ? changeMedia(k.slice('media:'.length), function (map) { delete map[id]; }) : undefined;
    });
  },
};

/**
 * Whether `origin` is one of the platform hosts of the settings (Chrome match patterns: scheme
 * `*` is http or https, host `*.x` covers x and its subdomains, no port means any port). Any
 * site may embed this page (it is web-accessible so that the content script can); only the
 * configured platforms get a widget.
 */
export function originAllowed(origin, hosts) {
  let u;
  try {
    u = new URL(origin);
  } catch (e) {
    return false;
  }
  return hosts.some(function (pattern) {
    const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
    if (!m) {
      return false;
    }
    if (m[1] !== '*' && m[1] + ':' !== u.protocol) {
      return false;
    }
    if (m[1] === '*' && u.protocol !== 'http:' && u.protocol !== 'https:') {
      return false;
    }
    const hp = m[2].split(':');
    const host = hp[0];
    if (hp.length > 1 && hp[1] !== '*' && hp[1] !== u.port) {
      return false;
    }
    if (host === '*') {
      return true;
    }
    if (host.indexOf('*.') === 0) {
      const base = host.slice(2);
      return u.hostname === base || u.hostname.endsWith('.' + base);
    }
    return u.hostname === host;
  });
}

/** A file name for a case's record: its id with what file systems refuse replaced. */
export function recordFileName(caseId) {
  return String(caseId).replace(/[\\/:*?"<>|\s]+/g, '_') + '.record.json';
}

/**
 * Export and import of the checklist record. The extension cannot store it on the platform's
 * server (it cannot change the platform), so the copy in the extension's storage would be the
 * only one: the officer exports it as a file, in the format a platform stores, to file with the
 * case or hand to a reviewer, and an import merges such a file into this machine's copy
 * (setChecklistRecord: nothing of either lost; a record of another case, of an unknown version,
 * malformed or whose log does not verify is refused, and the local copy kept).
 */
function recordTools(w) {
  const message = document.getElementById('record-message');
  const say = function (text, ok) {
    message.textContent = text;
    message.className = ok ? 'ok' : 'error';
  };
  document.getElementById('record-export').addEventListener('click', function () {
    const record = w.checklistRecord();
    if (!record) {
      say('尚无可导出的清单记录：请等待清单读取完本案后再导出。', false);
      return;
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }));
    a.download = recordFileName(record.case_id);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
    say('已导出 ' + a.download + '：操作日志 ' + record.log.head.count + ' 条，日志头哈希 ' + record.log.head.hash +
      '。请随案卷保存，或交给审核人员导入。', true);
  });
  const input = /** @type {HTMLInputElement} */ (document.getElementById('record-import'));
  document.getElementById('record-import-button').addEventListener('click', function () { input.click(); });
  input.addEventListener('change', function () {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) {
      return;
    }
    file.text().then(function (text) {
      const r = w.setChecklistRecord(text);
      if (r.type === 'failure') {
        say('未导入 ' + file.name + '。' + r.error.message, false);
      } else if (r.state === 'pending') {
        say('已收到 ' + file.name + '，本案读取完成后与本机记录合并。', true);
      } else {
        say('已导入 ' + file.name + '，与本机记录合并' + (r.conflicts.length
          ? '：' + r.conflicts.length + ' 项两处确认不一致，显示较晚的确认，两者均记入操作日志。'
          : '，双方的记录均已保留。'), true);
      }
    }, function (err) {
      say('无法读取文件 ' + file.name + '：' + String(err && err.message || err), false);
    });
  });
  document.getElementById('record-tools').hidden = false;
}

function start() {
  installStorage().then(effective).then(function (s) {
    if (s.error) {
      throw new Error('扩展设置有误（' + s.error + '）');
    }
    const st = s.settings;
    if (!originAllowed(PARENT_ORIGIN, st.hosts)) {
      throw new Error('页面 ' + PARENT_ORIGIN + ' 不在扩展设置的办案平台地址之内');
    }
    const options = { hash: { store: mediaStore }, logStore: logStore };
    if (st.agency) { options.agency = st.agency; }
    if (st.officer) { options.officer = st.officer; }
    if (st.now) { options.now = st.now; }
    if (st.configFingerprint) { options.configFingerprint = st.configFingerprint; }
    if (st.agencyConfig) { options.config = st.agencyConfig; }
    return mount(host, options);
  }).then(function (w) {
    widget = w;
    w.guardSubmit(proxy);
    recordTools(w);
    host.addEventListener('submit-allowed', function (/** @type {import('./widget/law-record-checklist.js').SubmitAllowedEvent} */ e) {
      allowedNow = true;
      post({ type: 'allowed', detail: e.detail });
    });
    host.addEventListener('submit-blocked', function (/** @type {import('./widget/law-record-checklist.js').SubmitBlockedEvent} */ e) {
      post({ type: 'blocked', blocking: (e.detail && e.detail.blocking || []).map(function (b) { return b.key; }) });
    });
    const sendHeight = function () {
      post({ type: 'height', height: Math.ceil(document.documentElement.scrollHeight) });
    };
    new ResizeObserver(sendHeight).observe(document.body);
    sendHeight();
    post({ type: 'ready' });
  }).catch(function (err) {
    const text = '记录清单加载失败，平台的其他功能不受影响。（' + String(err && err.message || err) + '）';
    notice(text);
    post({ type: 'error', message: text });
  });
}
