// @ts-check
// <law-record-checklist>: the 行政执法全过程记录 checklist widget.
// ES2020 as Chromium 83 runs it (async/await, arrows, `?.`): office PCs run Chromium 83 cores,
// which lack top-level await and logical assignment operators. Checked by `tsc` against
// law-record-checklist.d.ts (`cargo xtask test`).
import init, * as glue from './checklist.js';
import * as hashing from './law-record-checklist.hash.js';

/**
 * @typedef {import('./law-record-checklist.js').LoadedApi} LoadedApi
 * @typedef {import('./law-record-checklist.js').MountOptions} MountOptions
 * @typedef {import('./law-record-checklist.js').Widget} Widget
 * @typedef {import('./law-record-checklist.js').Case} Case
 * @typedef {import('./law-record-checklist.js').EvaluateOptions} EvaluateOptions
 * @typedef {import('./law-record-checklist.js').EvaluateResult} EvaluateResult
 * @typedef {import('./law-record-checklist.js').PackInfo} PackInfo
 * @typedef {import('./law-record-checklist.js').HashOptions} HashOptions
 * @typedef {import('./law-record-checklist.js').HashPool} HashPool
 * @typedef {import('./law-record-checklist.js').HashResult} HashResult
 * @typedef {import('./law-record-checklist.js').MediaEntry} MediaEntry
 * @typedef {import('./law-record-checklist.js').LogStore} LogStore
 * @typedef {import('./law-record-checklist.js').LogEntry} LogEntry
 * @typedef {{status: number, text: string | null} | {failed: true}} Prefetched
 */

/** @type {Promise<LoadedApi> | null} */
let loading = null;

/**
 * Loads and instantiates the wasm once. `input` (optional): URL, Response, or bytes of
 * `checklist_bg.<hash>.wasm`; by default the file next to this module (the build writes its
 * versioned name in place of the one below).
 * @param {string | URL | Response | BufferSource} [input]
 * @returns {Promise<LoadedApi>}
 */
export function load(input) {
  if (!loading) {
    const source = input || new URL('checklist_bg.wasm', import.meta.url);
    loading = init({ module_or_path: source }).then(() => {
      // For hosts and the bench: when the widget's code became ready on this page.
      if (typeof performance !== 'undefined' && typeof performance.mark === 'function') {
        performance.mark('law-record-checklist:wasm-ready');
      }
      return {
        // The case log goes to IndexedDB through `caseLog` (end of this file), unless the host
        // brings its own `logStore` ({load(key), save(key, text)}, see the .d.ts).
        mount: (element, options) => glue.mount(element, Object.assign({ logStore: caseLog }, options || {})),
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
 * @param {HTMLElement} element
 * @param {MountOptions} [options]
 * @returns {Promise<Widget>}
 */
export function mount(element, options) {
  /** @type {MountOptions & {configPrefetch?: Prefetched | Promise<Prefetched>}} */
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
  element.addEventListener('checklist-ready', () => pageGuard()?.ready());
  return load().then((api) => {
    if (config) {
      opts.configPrefetch = config.settled || config.promise;
    }
    const w = api.mount(element, opts);
    handUnchecked(w);
    if (hashOptions !== false) {
      const h = hashing.connect(element, w, hashOptions || {});
      const unmount = w.unmount.bind(w);
      w.hashing = h;
      w.unmount = () => {
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
 * @param {string | undefined} url
 * @returns {{settled: Prefetched | null, promise: Promise<Prefetched>} | null}
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
  /** @type {{settled: Prefetched | null, promise: Promise<Prefetched>}} */
  const out = { settled: null, promise: Promise.resolve({ failed: true }) };
  // Never rejects: the widget reports a failure in its own words, and no rejection goes unhandled.
  out.promise = (async () => {
    /** @type {Prefetched} */
    let outcome;
    try {
      const response = await fetch(href.href);
      try {
        outcome = { status: response.status, text: await response.text() };
      } catch (e) {
        outcome = { status: response.status, text: null };
      }
    } catch (e) {
      outcome = { failed: true };
    }
    out.settled = outcome;
    return outcome;
  })();
  return out;
}

/**
 * Hashes one File in a worker and compares it with a recorded SHA-256 (hex); resolves to
 * `{state: 'match' | 'mismatch', sha256}` or `{state: 'changed' | 'failed', message}`.
 * @param {Blob} file
 * @param {string} sha256
 * @param {HashOptions} [options]
 * @returns {Promise<HashResult | {state: 'match' | 'mismatch', sha256: string}>}
 */
export function verifyFile(file, sha256, options) {
  return hashing.verifyFile(file, sha256, options);
}

/**
 * Every file hashed on this machine for a case, as recorded in IndexedDB.
 * @param {string} caseId
 * @returns {Promise<MediaEntry[]>}
 */
export function mediaOf(caseId) {
  return hashing.mediaOf(caseId);
}

/**
 * A pool of hashing workers: `pool.hash(file, {sm3, onProgress})` → `{done, cancel}`.
 * @param {HashOptions} [options]
 * @returns {HashPool}
 */
export function createHashPool(options) {
  return hashing.createPool(options);
}

/**
 * Whether the browser validates wasm SIMD (then the simd128 hashing core is used).
 * @returns {boolean}
 */
export function simdSupported() {
  return hashing.simdSupported();
}

/**
 * Evaluates a case without rendering; resolves to `{type, report | error}`.
 * @param {Case | string} caseData
 * @param {EvaluateOptions} [options]
 * @returns {Promise<EvaluateResult>}
 */
export async function evaluate(caseData, options) {
  const api = await load();
  return api.evaluate(caseData, options || {});
}

/**
 * The built-in rule packs.
 * @returns {Promise<{type: 'success', packs: PackInfo[], errors: string[]}>}
 */
export async function packs() {
  const api = await load();
  return api.packs();
}

const ATTRS = ['agency', 'procedure', 'officer', 'now', 'admin', 'review', 'config-src', 'config-fingerprint'];

// Attribute name → mount option.
/** @type {Record<string, string>} */
const OPTION = { 'config-src': 'configUrl', 'config-fingerprint': 'configFingerprint' };

/**
 * The page's early submit guard, when the page has one.
 * @returns {import('./law-record-checklist.js').EarlyGuard | null}
 */
function pageGuard() {
  const g = typeof window !== 'undefined' && window.lawRecordChecklistGuard;
  return g && typeof g.ready === 'function' ? g : null;
}

/**
 * Gives the widget, to log with its case, the submits the page's early guard let through
 * unchecked before it had loaded, and any it lets through later.
 */
/** @param {Widget} w */
function handUnchecked(w) {
  const g = pageGuard();
  if (!g || typeof g.takeUnchecked !== 'function') {
    return;
  }
  const hand = () => {
    const list = g.takeUnchecked();
    if (list.length) { w.logUncheckedSubmits(list); }
  };
  hand();
  document.addEventListener('submit-allowed', (e) => {
    // The guard's own events are dispatched on the document; the widget's come from its element.
    if (e.target === document) { hand(); }
  });
}

/** @param {HTMLElement} el */
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

/**
 * @param {HTMLElement} el
 * @param {unknown} err
 */
function showLoadError(el, err) {
  const g = pageGuard();
  const message = String(err instanceof Error ? err.message : err);
  if (g) { g.fail('记录清单加载失败：' + message); }
  const root = el.shadowRoot || el.attachShadow({ mode: 'open' });
  root.textContent = '';
  const box = el.ownerDocument.createElement('div');
  box.setAttribute('role', 'alert');
  box.setAttribute('style', 'all:initial;display:block;font:14px sans-serif;color:#991b1b;' +
    'background:#fef2f2;border:1px solid #fca5a5;padding:8px 12px');
  box.textContent = '记录清单加载失败，平台的其他功能不受影响。（' + message + '）';
  root.appendChild(box);
}

/**
 * Defines the custom element (by default `law-record-checklist`). Called on import when the
 * page has `customElements`; calling it again is harmless.
 * @param {string} [name]
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
      /** @type {Widget | null} */
      this._widget = null;
      /** @type {Case | undefined} */
      this._case = undefined;
      /** @type {import('./law-record-checklist.js').ChecklistRecord | string | undefined} */
      this._record = undefined;
      /** @type {(HTMLFormElement | HTMLElement)[]} */
      this._guards = [];
      // Set by the host (read when the element connects); declared here for the type check
      // only: reading it leaves a value the host set before the upgrade in place.
      /** @type {import('./law-record-checklist.js').HashOptions | false | undefined} */
      this.hash;
      /** @type {(w: Widget) => void} */
      this._readyResolve = () => {};
      /** @type {Promise<Widget>} */
      this.ready = new Promise((resolve) => { this._readyResolve = resolve; });
      /** @type {Promise<Widget> | null} */
      this._mounting = null;
    }

    connectedCallback() {
      if (this._mounting) {
        return;
      }
      // No empty panel while the wasm loads.
      showPlaceholder(this);
      // Options are read once the page's script that created or upgraded the element has set
      // its attributes and properties (a microtask later), not as they were at upgrade.
      this._mounting = Promise.resolve().then(() => this._mount());
      // The rejection is shown in the element; hosts may also observe `ready`.
      this._mounting.catch(() => {});
    }

    /** @returns {Promise<Widget>} */
    async _mount() {
      /** @type {MountOptions & Record<string, unknown>} */
      const options = {};
      for (const a of ATTRS) {
        if (this.hasAttribute(a)) {
          options[OPTION[a] || a] = a === 'admin' || a === 'review' ? true : this.getAttribute(a);
        }
      }
      if (this._case !== undefined) {
        options.case = this._case;
      }
      if (this._record !== undefined && this._record !== null) {
        options.checklistRecord = this._record;
      }
      if (this.hash !== undefined) {
        options.hash = this.hash;
      }
      let w;
      try {
        w = await mount(this, options);
      } catch (err) {
        showLoadError(this, err);
        throw err;
      }
      this._widget = w;
      if (this._case !== undefined && options.case === undefined) {
        w.setCase(this._case);
      }
      // A record set while the wasm loaded (after the options were read) is given now.
      if (this._record !== undefined && this._record !== null && this._record !== options.checklistRecord) {
        w.setChecklistRecord(this._record);
      }
      for (const t of this._guards) { w.guardSubmit(t); }
      this._guards = [];
      this._readyResolve(w);
      return w;
    }

    /**
     * @param {string} attr
     * @param {string | null} _old
     * @param {string | null} value
     */
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

    /** @param {Case | undefined} value */
    set case(value) {
      this._case = value;
      if (this._widget) {
        // `undefined` too: the widget then says that the case is missing.
        this._widget.setCase(/** @type {Case} */ (value));
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

    /** @param {import('./law-record-checklist.js').ChecklistRecord | string | undefined} value */
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
    /** @param {HTMLFormElement | HTMLElement} target */
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

/** @type {Promise<IDBDatabase> | null} */
let logOpening = null;

/** @returns {Promise<IDBDatabase>} */
function logDb() {
  if (!logOpening) {
    logOpening = new Promise((resolve, reject) => {
      // Some browsers (and privacy modes) lack it, or throw on open: both mean "unavailable".
      if (typeof indexedDB === 'undefined' || !indexedDB) { reject(new Error('no indexedDB')); return; }
      const req = indexedDB.open(LOG_DB, 1);
      req.onupgradeneeded = () => { req.result.createObjectStore(LOG_STORE, { keyPath: ['log', 'seq'] }); };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    // A failed open is retried on the next call (the officer may free space or allow storage).
    logOpening.catch(() => { logOpening = null; });
  }
  return logOpening;
}

/** @param {string} key */
function logRange(key) {
  return IDBKeyRange.bound([key, 0], [key, Infinity]);
}

function logLocal() {
  // The getter itself throws where the browser blocks storage.
  try { return window.localStorage || null; } catch (e) { return null; }
}

/**
 * Whether entries `a` continue entries `b` (b is a prefix of a, compared by hash).
 * @param {LogEntry[]} a
 * @param {LogEntry[]} b
 */
function extendsLog(a, b) {
  return a.length >= b.length && (b.length === 0 || a[b.length - 1].hash === b[b.length - 1].hash);
}

/**
 * @param {string} text
 * @returns {LogEntry[]}
 */
function logEntriesOf(text) {
  const entries = JSON.parse(text).entries;
  if (!Array.isArray(entries)) { throw new Error('entries'); }
  return entries;
}

/**
 * Moves a localStorage copy that cannot be merged out of the way, keeping its text.
 * @param {Storage} store
 * @param {string} key
 * @param {string} text
 * @param {string} why
 */
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
/** @type {LogStore['load']} */
async function logLoad(key) {
  /** @type {LogEntry[]} */
  let entries;
  try {
    const d = await logDb();
    entries = await new Promise((resolve, reject) => {
      const req = d.transaction(LOG_STORE, 'readonly').objectStore(LOG_STORE).getAll(logRange(key));
      req.onsuccess = () => resolve(req.result.map((r) => r.entry));
      req.onerror = () => reject(req.error);
    });
  } catch (e) {
    entries = [];
  }
  /** @type {string | null} */
  let warning = null;
  const store = logLocal();
  let text = null;
  try { text = store && store.getItem(key); } catch (e) { text = null; }
  if (store && text) {
    let copy = null;
    try { copy = logEntriesOf(text); } catch (e) { warning = logAside(store, key, text, '无法读取'); }
    if (copy && extendsLog(copy, entries)) {
      // An older widget's log, or one kept here while IndexedDB refused: it holds more.
      entries = copy;
    } else if (copy && !extendsLog(entries, copy)) {
      warning = logAside(store, key, text, '与 IndexedDB 中的记录不一致');
    }
  }
  return { entries: JSON.stringify(entries), warning };
}

/**
 * Adds to IndexedDB the entries of `entries` it lacks, after checking that what it holds is
 * a prefix of them; rejects with `{conflict: true}` when it is not.
 * @param {string} key
 * @param {LogEntry[]} entries
 * @returns {Promise<void>}
 */
async function logWrite(key, entries) {
  const d = await logDb();
  return new Promise((resolve, reject) => {
    const t = d.transaction(LOG_STORE, 'readwrite');
    const s = t.objectStore(LOG_STORE);
    /** @type {unknown} */
    let failure = null;
    const last = s.openCursor(logRange(key), 'prev');
    last.onsuccess = () => {
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
    t.oncomplete = () => resolve();
    t.onabort = () => reject(failure || t.error);
  });
}

/**
 * @param {string} key
 * @param {LogEntry[]} entries
 */
function logStored(key, entries) {
  // IndexedDB holds all of it now: a localStorage copy it covers is redundant.
  const store = logLocal();
  try {
    const text = store && store.getItem(key);
    if (text && extendsLog(entries, logEntriesOf(text))) { store.removeItem(key); }
  } catch (e) { /* unreadable copies stay where they are */ }
  return null;
}

/**
 * @param {string} key
 * @param {string} text
 * @param {any} err
 */
function logRefused(key, text, err) {
  const store = logLocal();
  let kept = false;
  try { store?.setItem(key, text); kept = !!store; } catch (e) { kept = false; }
  const name = err && err.name || '';
  const why = err && err.conflict ? '本案操作日志已在其他标签页或窗口中更新'
    : name === 'QuotaExceededError' ? '浏览器存储空间已满'
      : '浏览器不支持或禁止 IndexedDB';
  return why + (kept
    ? '：操作日志未能写入 IndexedDB，已暂存在浏览器本地存储（localStorage）中，此前的记录不受影响。请清理浏览器存储，必要时导出日志'
    : '：操作日志未能保存到本机，本次记录只保存在当前页面中，此前已保存的记录不受影响。关闭页面前请导出日志');
}

/** @type {Record<string, Promise<string | null>>} */
const logQueues = {};

/**
 * Stores the whole log (`text`: the exported JSON) under `key`, adding to IndexedDB what it
 * lacks. Saves of one key run one after another, in call order, so entries land in chain
 * order. Resolves to null, or to a zh-CN warning when IndexedDB refused (the log is then
 * kept in localStorage when that works). Never rejects.
 */
/** @type {LogStore['save']} */
function logSave(key, text) {
  const run = async () => {
    let entries;
    try { entries = logEntriesOf(text); } catch (e) { return '操作日志无法序列化，未能保存'; }
    try {
      await logWrite(key, entries);
    } catch (err) {
      return logRefused(key, text, err);
    }
    return logStored(key, entries);
  };
  const next = (logQueues[key] || Promise.resolve()).then(run);
  logQueues[key] = next;
  return next;
}

/** @type {LogStore} */
const caseLog = { load: logLoad, save: logSave };

defineElement();
