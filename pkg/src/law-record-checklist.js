// <law-record-checklist>: the 行政执法全过程记录 checklist widget.
// Plain ES2019 on purpose: office PCs run Chromium 83 cores, which lack top-level await
// and logical assignment operators.
import init, * as glue from './checklist.js';
import * as hashing from './law-record-checklist.hash.js';

let loading = null;

/**
 * Loads and instantiates the wasm once. `input` (optional): URL, Response, or bytes of
 * `checklist_bg.wasm`; by default the file next to this module.
 */
export function load(input) {
  if (!loading) {
    const source = input || new URL('checklist_bg.wasm', import.meta.url);
    loading = init({ module_or_path: source }).then(function () {
      // For hosts and the bench: when the widget's code became ready on this page.
      if (typeof performance !== 'undefined' && typeof performance.mark === 'function') {
        performance.mark('law-record-checklist:wasm-ready');
      }
      return {
        // The case log goes to IndexedDB through `caseLog` (end of this file), unless the host
        // brings its own `logStore` ({load(key), save(key, text)}, see the .d.ts).
        mount: function (element, options) {
          const opts = Object.assign({ logStore: caseLog }, options || {});
          return glue.mount(element, opts);
        },
        evaluate: glue.evaluate,
        packs: glue.packs,
        version: glue.version,
      };
    });
  }
  return loading;
}

/**
 * Mounts the widget into `element`; resolves to the widget handle. `options.hash` configures
 * on-device hashing of AV files (`{sm3, workers, chunkSize, stallMs, observe}`); `false`
 * turns it off. The handle's `hashing` then attaches, verifies and cancels from code.
 */
export function mount(element, options) {
  const opts = Object.assign({}, options || {});
  const hashOptions = opts.hash;
  delete opts.hash;
  // The agency config is fetched and read while the wasm compiles rather than after: the widget
  // waits for it before its first checklist, and a body already read is handed over at mount
  // (no extra turn of the event loop before the checklist). Only from the page's own origin,
  // as the widget checks.
  const config = prefetch(opts.configUrl);
  // The page's early guard (law-record-checklist.guard.js) holds submits until the widget can
  // decide on them.
  element.addEventListener('checklist-ready', function () {
    const g = pageGuard();
    if (g) { g.ready(); }
  });
  return load().then(function (api) {
    if (config) {
      opts.configPrefetch = config.settled || config.promise;
    }
    const w = api.mount(element, opts);
    handUnchecked(w);
    if (hashOptions !== false) {
      const h = hashing.connect(element, w, hashOptions || {});
      const unmount = w.unmount.bind(w);
      w.hashing = h;
      w.unmount = function () {
        h.stop();
        unmount();
      };
    }
    return w;
  });
}

/**
 * `fetch(url)` and its body read, when `url` is under the page's own origin; otherwise
 * nothing. `promise` resolves to `{status, text}` (`text` null when the body could not be
 * read) or `{failed: true}` (network error); `settled` holds that outcome once it is there.
 */
function prefetch(url) {
  if (typeof url !== 'string' || typeof fetch !== 'function' || typeof document === 'undefined') {
    return null;
  }
  let href;
  try {
    href = new URL(url, document.baseURI);
  } catch (e) {
    return null;
  }
  if (href.origin !== location.origin) {
    return null;
  }
  const out = { settled: null, promise: null };
  // Never rejects: the widget reports a failure in its own words, and no rejection goes unhandled.
  out.promise = fetch(href.href).then(function (response) {
    return response.text().then(function (text) {
      return { status: response.status, text: text };
    }, function () {
      return { status: response.status, text: null };
    });
  }, function () {
    return { failed: true };
  }).then(function (outcome) {
    out.settled = outcome;
    return outcome;
  });
  return out;
}

/**
 * Hashes one File in a worker and compares it with a recorded SHA-256 (hex); resolves to
 * `{state: 'match' | 'mismatch', sha256}` or `{state: 'changed' | 'failed', message}`.
 */
export function verifyFile(file, sha256, options) {
  return hashing.verifyFile(file, sha256, options);
}

/** Every file hashed on this machine for a case, as recorded in IndexedDB. */
export function mediaOf(caseId) {
  return hashing.mediaOf(caseId);
}

/** A pool of hashing workers: `pool.hash(file, {sm3, onProgress})` → `{done, cancel}`. */
export function createHashPool(options) {
  return hashing.createPool(options);
}

/** Whether the browser validates wasm SIMD (then the simd128 hashing core is used). */
export function simdSupported() {
  return hashing.simdSupported();
}

/** Evaluates a case without rendering; resolves to `{type, report | error}`. */
export function evaluate(caseData, options) {
  return load().then(function (api) {
    return api.evaluate(caseData, options || {});
  });
}

/** The built-in rule packs. */
export function packs() {
  return load().then(function (api) {
    return api.packs();
  });
}

const ATTRS = ['agency', 'procedure', 'officer', 'now', 'admin', 'review', 'config-src', 'config-fingerprint'];

// Attribute name → mount option.
const OPTION = { 'config-src': 'configUrl', 'config-fingerprint': 'configFingerprint' };

/** The page's early submit guard, when the page has one. */
function pageGuard() {
  const g = typeof window !== 'undefined' && window.lawRecordChecklistGuard;
  return g && typeof g.ready === 'function' ? g : null;
}

/**
 * Gives the widget, to log with its case, the submits the page's early guard let through
 * unchecked before it had loaded, and any it lets through later.
 */
function handUnchecked(w) {
  const g = pageGuard();
  if (!g || typeof g.takeUnchecked !== 'function') {
    return;
  }
  const hand = function () {
    const list = g.takeUnchecked();
    if (list.length) { w.logUncheckedSubmits(list); }
  };
  hand();
  document.addEventListener('submit-allowed', function (e) {
    // The guard's own events are dispatched on the document; the widget's come from its element.
    if (e.target === document) { hand(); }
  });
}

function showPlaceholder(el) {
  if (el.shadowRoot) {
    return;
  }
  const root = el.attachShadow({ mode: 'open' });
  const box = el.ownerDocument.createElement('p');
  box.setAttribute('role', 'status');
  box.setAttribute('style', 'all:initial;display:block;font:14px/1.5 system-ui,"Microsoft YaHei",sans-serif;' +
    'color:#475569;background:#f8fafc;border:1px solid #d6dde5;padding:12px');
  box.textContent = '正在加载记录清单……';
  root.appendChild(box);
}

function showLoadError(el, err) {
  const g = pageGuard();
  if (g) { g.fail('记录清单加载失败：' + String(err && err.message || err)); }
  const root = el.shadowRoot || el.attachShadow({ mode: 'open' });
  root.textContent = '';
  const box = el.ownerDocument.createElement('div');
  box.setAttribute('role', 'alert');
  box.setAttribute('style', 'all:initial;display:block;font:14px sans-serif;color:#991b1b;' +
    'background:#fef2f2;border:1px solid #fca5a5;padding:8px 12px');
  box.textContent = '记录清单加载失败，平台的其他功能不受影响。（' + String(err && err.message || err) + '）';
  root.appendChild(box);
}

/**
 * Defines the custom element (by default `law-record-checklist`). Called on import when the
 * page has `customElements`; calling it again is harmless.
 */
export function defineElement(name) {
  const tag = name || 'law-record-checklist';
  if (typeof customElements === 'undefined' || customElements.get(tag)) {
    return;
  }
  class LawRecordChecklist extends HTMLElement {
    static get observedAttributes() {
      return ATTRS;
    }

    constructor() {
      super();
      this._widget = null;
      this._case = undefined;
      this._record = undefined;
      this._guards = [];
      const self = this;
      this._readyResolve = null;
      this.ready = new Promise(function (resolve) { self._readyResolve = resolve; });
    }

    connectedCallback() {
      if (this._mounting) {
        return;
      }
      // No empty panel while the wasm loads.
      showPlaceholder(this);
      const self = this;
      // Options are read once the page's script that created or upgraded the element has set
      // its attributes and properties (a microtask later), not as they were at upgrade.
      this._mounting = Promise.resolve().then(function () { return self._mount(); });
      // The rejection is shown in the element; hosts may also observe `ready`.
      this._mounting.catch(function () {});
    }

    _mount() {
      const self = this;
      const options = {};
      ATTRS.forEach(function (a) {
        if (self.hasAttribute(a)) {
          options[OPTION[a] || a] = a === 'admin' || a === 'review' ? true : self.getAttribute(a);
        }
      });
      if (this._case !== undefined) {
        options.case = this._case;
      }
      if (this._record !== undefined && this._record !== null) {
        options.checklistRecord = this._record;
      }
      if (this.hash !== undefined) {
        options.hash = this.hash;
      }
      return mount(this, options).then(function (w) {
        self._widget = w;
        if (self._case !== undefined && options.case === undefined) {
          w.setCase(self._case);
        }
        // A record set while the wasm loaded (after the options were read) is given now.
        if (self._record !== undefined && self._record !== null && self._record !== options.checklistRecord) {
          w.setChecklistRecord(self._record);
        }
        self._guards.forEach(function (t) { w.guardSubmit(t); });
        self._guards = [];
        self._readyResolve(w);
        return w;
      }, function (err) {
        showLoadError(self, err);
        throw err;
      });
    }

    attributeChangedCallback(attr, _old, value) {
      const w = this._widget;
      if (!w) {
        return;
      }
      if (attr === 'agency') { w.setAgency(value); }
      if (attr === 'procedure') { w.setProcedure(value); }
      if (attr === 'officer') { w.setOfficer(value); }
      if (attr === 'now') { w.setNow(value); }
      if (attr === 'admin') { w.setAdmin(value !== null); }
      if (attr === 'review') { w.setReview(value !== null); }
      if (attr === 'config-fingerprint') { w.setConfigPin(value); }
      if (attr === 'config-src') {
        if (value) { w.loadConfig(value); } else { w.setConfig(null); }
      }
    }

    /** The case (engine contract) as last set. */
    get case() {
      return this._case;
    }

    set case(value) {
      this._case = value;
      if (this._widget) {
        this._widget.setCase(value);
      }
    }

    /**
     * The case's checklist record: set it to the record the platform stored for the case (it
     * is merged with this machine's copy); read it for the current record (`undefined` until
     * loaded, without a case, or while the stored log is read). `record-change` carries it
     * whenever it changes.
     */
    get checklistRecord() {
      return this._widget ? this._widget.checklistRecord() : undefined;
    }

    set checklistRecord(value) {
      this._record = value;
      if (this._widget && value !== undefined && value !== null) {
        this._widget.setChecklistRecord(value);
      }
    }

    /** The current report, `{type, report | error}`; `null` until loaded. */
    get report() {
      return this._widget ? this._widget.report() : null;
    }

    /** The mounted widget handle, or `null` until loaded. */
    get widget() {
      return this._widget;
    }

    /** Guards the host's submit (a form or a button); applied as soon as the widget loads. */
    guardSubmit(target) {
      if (this._widget) {
        this._widget.guardSubmit(target);
      } else {
        this._guards.push(target);
        // Held by the page's early guard until the widget can decide.
        const g = pageGuard();
        if (g) { g.guard(target); }
      }
    }
  }
  customElements.define(tag, LawRecordChecklist);
}

// ── The case log in IndexedDB ──────────────────────────────────────────────────────────
// The widget's per-case log (a hash chain, see rules-core `CaseLog`), passed to the wasm as
// its `logStore`. Here rather than in a module of its own so that every copy of the loader
// (the package, the browser extension) carries it.
//
// One record per entry, key [log key, index], written with `add` only: a stored entry is never
// overwritten, and each save adds just what the store lacks, after checking that what it holds
// is a prefix of the widget's log (so a second tab cannot fork the chain on disk).
// localStorage is the fallback when IndexedDB is unavailable or full, and where logs lived
// before: such a copy is read back, merged, and removed only once IndexedDB holds it all.

const LOG_DB = 'law-record-checklist-log';
const LOG_STORE = 'entries';

let logOpening = null;

function logDb() {
  if (!logOpening) {
    logOpening = new Promise(function (resolve, reject) {
      // Some browsers (and privacy modes) lack it, or throw on open: both mean "unavailable".
      if (typeof indexedDB === 'undefined' || !indexedDB) { reject(new Error('no indexedDB')); return; }
      const req = indexedDB.open(LOG_DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(LOG_STORE, { keyPath: ['log', 'seq'] }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    // A failed open is retried on the next call (the officer may free space or allow storage).
    logOpening.catch(function () { logOpening = null; });
  }
  return logOpening;
}

function logRange(key) {
  return IDBKeyRange.bound([key, 0], [key, Infinity]);
}

function logLocal() {
  // The getter itself throws where the browser blocks storage.
  try { return window.localStorage || null; } catch (e) { return null; }
}

// Whether entries `a` continue entries `b` (b is a prefix of a, compared by hash).
function extendsLog(a, b) {
  return a.length >= b.length && (b.length === 0 || a[b.length - 1].hash === b[b.length - 1].hash);
}

function logEntriesOf(text) {
  const entries = JSON.parse(text).entries;
  if (!Array.isArray(entries)) { throw new Error('entries'); }
  return entries;
}

// Moves a localStorage copy that cannot be merged out of the way, keeping its text.
function logAside(store, key, text, why) {
  const to = key + '.unreadable-' + Date.now();
  try {
    store.setItem(to, text);
    store.removeItem(key);
    return '本机 localStorage 中的操作日志' + why + '，原文已另存为 `' + to + '`，请报告法制科';
  } catch (e) {
    return '本机 localStorage 中的操作日志' + why + '，原文仍保留在 `' + key + '`，请报告法制科';
  }
}

/**
 * Reads the log stored under `key`: resolves to `{entries, warning}`, `entries` the JSON text
 * of the entry array (IndexedDB's, or a localStorage copy that continues it), `warning` a
 * zh-CN notice or null. Never rejects.
 */
function logLoad(key) {
  const read = logDb().then(function (d) {
    return new Promise(function (resolve, reject) {
      const req = d.transaction(LOG_STORE, 'readonly').objectStore(LOG_STORE).getAll(logRange(key));
      req.onsuccess = function () { resolve(req.result.map(function (r) { return r.entry; })); };
      req.onerror = function () { reject(req.error); };
    });
  });
  return read.then(null, function () { return []; }).then(function (entries) {
    let warning = null;
    const store = logLocal();
    let text = null;
    try { text = store && store.getItem(key); } catch (e) { text = null; }
    if (text) {
      let copy = null;
      try { copy = logEntriesOf(text); } catch (e) { warning = logAside(store, key, text, '无法读取'); }
      if (copy && extendsLog(copy, entries)) {
        // An older widget's log, or one kept here while IndexedDB refused: it holds more.
        entries = copy;
      } else if (copy && !extendsLog(entries, copy)) {
        warning = logAside(store, key, text, '与 IndexedDB 中的记录不一致');
      }
    }
    return { entries: JSON.stringify(entries), warning: warning };
  });
}

function logWrite(key, entries) {
  return logDb().then(function (d) {
    return new Promise(function (resolve, reject) {
      const t = d.transaction(LOG_STORE, 'readwrite');
      const s = t.objectStore(LOG_STORE);
      let failure = null;
      const last = s.openCursor(logRange(key), 'prev');
      last.onsuccess = function () {
        const c = last.result;
        const n = c ? c.value.seq + 1 : 0;
        try {
          if (n > entries.length || (n > 0 && entries[n - 1].hash !== c.value.entry.hash)) {
            failure = { conflict: true };
            t.abort();
            return;
          }
          for (let i = n; i < entries.length; i++) { s.add({ log: key, seq: i, entry: entries[i] }); }
        } catch (e) {
          // `add` may throw at once (e.g. a full disk): nothing of this save is kept.
          failure = e;
          t.abort();
        }
      };
      t.oncomplete = function () { resolve(); };
      t.onabort = function () { reject(failure || t.error); };
    });
  });
}

function logStored(key, entries) {
  // IndexedDB holds all of it now: a localStorage copy it covers is redundant.
  const store = logLocal();
  try {
    const text = store && store.getItem(key);
    if (text && extendsLog(entries, logEntriesOf(text))) { store.removeItem(key); }
  } catch (e) { /* unreadable copies stay where they are */ }
  return null;
}

function logRefused(key, text, err) {
  const store = logLocal();
  let kept = false;
  try { store.setItem(key, text); kept = true; } catch (e) { kept = false; }
  const name = err && err.name || '';
  const why = err && err.conflict ? '本案操作日志已在其他标签页或窗口中更新'
    : name === 'QuotaExceededError' ? '浏览器存储空间已满'
      : '浏览器不支持或禁止 IndexedDB';
  return why + (kept
    ? '：操作日志未能写入 IndexedDB，已暂存在浏览器本地存储（localStorage）中，此前的记录不受影响。请清理浏览器存储，必要时导出日志'
    : '：操作日志未能保存到本机，本次记录只保存在当前页面中，此前已保存的记录不受影响。关闭页面前请导出日志');
}

const logQueues = {};

/**
 * Stores the whole log (`text`: the exported JSON) under `key`, adding to IndexedDB what it
 * lacks. Saves of one key run one after another, in call order, so entries land in chain
 * order. Resolves to null, or to a zh-CN warning when IndexedDB refused (the log is then
 * kept in localStorage when that works). Never rejects.
 */
function logSave(key, text) {
  const run = function () {
    let entries;
    try { entries = logEntriesOf(text); } catch (e) { return '操作日志无法序列化，未能保存'; }
    return logWrite(key, entries).then(function () { return logStored(key, entries); }, function (err) {
      return logRefused(key, text, err);
    });
  };
  const next = (logQueues[key] || Promise.resolve()).then(run);
  logQueues[key] = next;
  return next;
}

const caseLog = { load: logLoad, save: logSave };

defineElement();
