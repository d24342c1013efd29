// @ts-check
// On-device fingerprinting of case media for <law-record-checklist>: a pool of Web Workers
// hashing Files as streams (SHA-256, and SM3 when the agency asks), the results kept per case
// in IndexedDB. The bytes of a file are read only inside the workers and never sent anywhere.
// Plain ES2019 for Chromium 83 cores.

const DB_NAME = 'law-record-checklist-media';
const DB_STORE = 'media';
const MIB = 1024 * 1024;

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): validates only where
// the engine has final SIMD (Chromium 91+). Feature-tested, never guessed from the browser name.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8,
  0, 65, 0, 253, 15, 253, 98, 11]);

/**
 * @typedef {import('./law-record-checklist.js').HashOptions} HashOptions
 * @typedef {import('./law-record-checklist.js').HashPool} HashPool
 * @typedef {import('./law-record-checklist.js').HashResult} HashResult
 * @typedef {import('./law-record-checklist.js').Hashing} Hashing
 * @typedef {import('./law-record-checklist.js').MediaEntry} MediaEntry
 * @typedef {import('./law-record-checklist.js').Widget} Widget
 */

/**
 * Whether this browser validates wasm SIMD (then the simd128 hashing core is used).
 * @returns {boolean}
 */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch (e) {
    return false;
  }
}

let cores = {};

function compileCore(options) {
  const simd = options.simd === undefined ? simdSupported() : !!options.simd;
  const key = simd ? 'simd' : 'scalar';
  if (!cores[key]) {
    const url = new URL(simd ? 'hash-core-simd.wasm' : 'hash-core.wasm', options.base || import.meta.url);
    cores[key] = fetch(url).then(function (r) {
      if (!r.ok) { throw new Error('无法获取哈希模块 ' + url + '（HTTP ' + r.status + '）'); }
      return r.arrayBuffer();
    }).then(function (bytes) {
      return WebAssembly.compile(bytes);
    }).then(function (module) {
      return { module: module, simd: simd };
    });
    cores[key].catch(function () { cores[key] = null; });
  }
  return cores[key];
}

/**
 * A pool of hashing workers. `options`: `{workers, chunkSize, stallMs, simd, workerUrl}`;
 * by default one worker per core the browser reports, 4 MiB chunks, a 15 s stall watchdog.
 * @param {HashOptions & {base?: string | URL, test?: {stallAfter?: number}}} [options]
 * @returns {HashPool}
 */
export function createPool(options) {
  const opts = options || {};
  const hw = typeof navigator !== 'undefined' && navigator.hardwareConcurrency || 2;
  const size = Math.max(1, opts.workers || hw);
  const workerUrl = opts.workerUrl || new URL('law-record-checklist.hash-worker.js', import.meta.url);
  const idle = [];
  const all = [];
  const queue = [];
  let seq = 0;
  let core = null;
  let pending = 0;

  function spawn() {
    if (!core) { core = compileCore(opts); }
    return core.then(function (c) {
      return new Promise(function (resolve, reject) {
        const w = new Worker(workerUrl);
        const slot = { worker: w, job: null, simd: c.simd };
        w.onmessage = function (ev) {
          const m = ev.data;
          if (m.type === 'ready') { all.push(slot); resolve(slot); return; }
          if (!slot.job) {
            if (m.type === 'failed') { reject(new Error(m.message)); }
            return;
          }
          onMessage(slot, m);
        };
        w.onerror = function (ev) {
          const err = new Error('哈希线程出错：' + (ev.message || 'unknown'));
          if (slot.job) { finish(slot, 'failed', { message: err.message }); } else { reject(err); }
        };
        w.postMessage({ type: 'init', module: c.module });
      });
    });
  }

  function onMessage(slot, m) {
    const job = slot.job;
    if (m.id !== job.id) { return; }
    if (m.type === 'progress') {
      job.bytes = m.bytes;
      job.reader = m.reader;
      job.onProgress(progressOf(job));
    } else if (m.type === 'done') {
      finish(slot, 'done', { sha256: m.sha256, sm3: m.sm3, reader: m.reader, fallbacks: m.fallbacks, bytes: m.bytes });
    } else if (m.type === 'changed') {
      finish(slot, 'changed', { message: m.message });
    } else if (m.type === 'cancelled') {
      finish(slot, 'cancelled', {});
    } else if (m.type === 'failed') {
      finish(slot, 'failed', { message: m.message });
    }
  }

  function progressOf(job) {
    const elapsed = (Date.now() - job.started) / 1000;
    const rate = elapsed > 0 ? job.bytes / MIB / elapsed : 0;
    const left = job.file.size - job.bytes;
    return {
      bytes: job.bytes, size: job.file.size, reader: job.reader, simd: job.simd,
      percent: job.file.size ? Math.floor(job.bytes * 100 / job.file.size) : 100,
      rate: rate, eta: rate > 0 ? left / MIB / rate : null,
    };
  }

  function finish(slot, state, result) {
    const job = slot.job;
    slot.job = null;
    result.state = state;
    result.seconds = (Date.now() - job.started) / 1000;
    result.simd = job.simd;
    job.resolve(result);
    idle.push(slot);
    pump();
  }

  function pump() {
    while (queue.length && (idle.length || all.length + pending < size)) {
      if (idle.length) {
        start(idle.shift(), queue.shift());
      } else {
        pending += 1;
        spawn().then(function (slot) {
          pending -= 1;
          idle.push(slot);
          pump();
        }, function (err) {
          pending -= 1;
          // Without a worker nothing can hash: fail what waits rather than hang.
          queue.splice(0).forEach(function (j) { j.resolve({ state: 'failed', message: err.message }); });
        });
      }
    }
  }

  function start(slot, job) {
    if (job.cancelled) {
      job.resolve({ state: 'cancelled' });
      idle.push(slot);
      return;
    }
    slot.job = job;
    job.slot = slot;
    job.simd = slot.simd;
    job.started = Date.now();
    slot.worker.postMessage({
      type: 'hash', id: job.id, file: job.file, sm3: job.sm3, chunk: opts.chunkSize || 4 * MIB,
      stallMs: opts.stallMs || 15000, test: opts.test || null,
    });
  }

  return {
    /**
     * Hashes `file`; `o`: `{sm3, onProgress}`. Returns `{done, cancel}`; `done` resolves to
     * `{state: 'done', sha256, sm3} | {state: 'changed' | 'cancelled' | 'failed', message}`.
     */
    hash: function (file, o) {
      const job = {
        id: ++seq, file: file, sm3: !!(o && o.sm3), bytes: 0, reader: null, cancelled: false,
        onProgress: o && o.onProgress || function () {},
      };
      const done = new Promise(function (resolve) { job.resolve = resolve; });
      queue.push(job);
      pump();
      return {
        done: done,
        cancel: function () {
          job.cancelled = true;
          if (job.slot && job.slot.job === job) {
            job.slot.worker.postMessage({ type: 'cancel', id: job.id });
          } else {
            const i = queue.indexOf(job);
            if (i >= 0) { queue.splice(i, 1); job.resolve({ state: 'cancelled' }); }
          }
        },
      };
    },
    /** Ends every worker. */
    terminate: function () {
      all.forEach(function (s) { s.worker.terminate(); });
      all.length = 0;
      idle.length = 0;
    },
    size: size,
  };
}

// ── IndexedDB: finished fingerprints survive reloads, crashes and closed tabs ──────────

let dbOpening = null;

function db() {
  if (!dbOpening) {
    dbOpening = new Promise(function (resolve, reject) {
      if (typeof indexedDB === 'undefined') { reject(new Error('浏览器不支持 IndexedDB')); return; }
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        const store = req.result.createObjectStore(DB_STORE, { keyPath: 'id' });
        store.createIndex('caseId', 'caseId');
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    dbOpening.catch(function () { dbOpening = null; });
  }
  return dbOpening;
}

function tx(mode, fn) {
  return db().then(function (d) {
    return new Promise(function (resolve, reject) {
      const t = d.transaction(DB_STORE, mode);
      const out = fn(t.objectStore(DB_STORE));
      t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : undefined); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
    });
  });
}

/**
 * Every recorded fingerprint of a case, oldest first.
 * @param {string} caseId
 * @returns {Promise<MediaEntry[]>}
 */
export function mediaOf(caseId) {
  return tx('readonly', function (s) { return s.index('caseId').getAll(caseId); }).then(function (list) {
    return (list || []).sort(function (a, b) { return a.seq - b.seq; });
  });
}

function put(entry) {
  return tx('readwrite', function (s) { return s.put(entry); });
}

// What is kept of an entry: all but the live speed and time left.
function persisted(entry) {
  const copy = {};
  Object.keys(entry).forEach(function (k) { if (k !== 'rate' && k !== 'eta' && k !== 'unsaved') { copy[k] = entry[k]; } });
  return copy;
}

function remove(id) {
  return tx('readwrite', function (s) { return s.delete(id); });
}

// Where a host cannot use IndexedDB (the browser extension's frame) it passes its own store.
const idbStore = { list: mediaOf, put: put, remove: remove };

// ── The widget's side: attach, progress, cancel, verify, persist ────────────────────────

let tabSeq = 0;
const tabId = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

function entryFor(caseId, item, file) {
  tabSeq += 1;
  return {
    id: tabId + '-' + tabSeq, seq: Date.now() * 1000 + tabSeq % 1000, caseId: caseId, item: item,
    name: file.name, size: file.size, lastModified: file.lastModified,
    modifiedAt: new Date(file.lastModified).toISOString(), state: 'queued', bytes: 0, tab: tabId,
  };
}

/**
 * Connects hashing to a mounted widget: the widget's 附加/核验/取消/移除 buttons fire
 * `media-request` events on `element`; this hashes, records and feeds the results back with
 * `widget.setMedia`. `options`: `{sm3, workers, chunkSize, stallMs, simd, observe}` where
 * `observe` is `[{input, item}]`: host file inputs (element or selector) whose chosen files are
 * attached to the item, and `store` is `{list(caseId), put(entry), remove(id)}` (promises) where
 * the entries are kept instead of IndexedDB. Returns `{attach(item, files), verify(entryId, file),
 * check(item, sha256, file), cancel(entryId), remove(entryId), entries(), stop()}`.
 * @param {HTMLElement} element
 * @param {Widget} widget
 * @param {HashOptions} [options]
 * @returns {Hashing}
 */
export function connect(element, widget, options) {
  const opts = options || {};
  const store = opts.store || idbStore;
  // An entry the store refused (no IndexedDB, storage full) is marked `unsaved`, so the officer
  // is told it will not be listed after a reload; a later save that works clears the mark.
  const save = function (e) {
    return store.put(persisted(e)).then(function (r) {
      if (e.unsaved) { delete e.unsaved; publish(); }
      return r;
    }, function (err) {
      if (!e.unsaved) { e.unsaved = true; publish(); }
      throw err;
    });
  };
  const pool = createPool(opts);
  const jobs = {};
  let caseId = null;
  let entries = [];
  let timer = null;
  let stopped = false;

  function publish() {
    if (stopped) { return; }
    if (timer) { return; }
    // Progress arrives up to 10 times a second per file: the widget redraws at most 4 times.
    timer = setTimeout(function () {
      timer = null;
      widget.setMedia(caseId, entries.map(function (e) { return Object.assign({}, e); }));
    }, 250);
  }

  function publishNow() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!stopped) { widget.setMedia(caseId, entries.map(function (e) { return Object.assign({}, e); })); }
  }

  function changed() {
    publishNow();
    const detail = { caseId: caseId, media: entries.map(function (e) { return Object.assign({}, e); }) };
    element.dispatchEvent(new CustomEvent('media-change', { detail: detail, bubbles: true, composed: true }));
  }

  function load(id) {
    caseId = id;
    entries = [];
    if (!id) { publishNow(); return Promise.resolve(); }
    return store.list(id).then(function (list) {
      if (caseId !== id) { return; }
      const updates = [];
      list.forEach(function (e) {
        // A hash this page is not running was cut off by a reload, a crash or a closed tab.
        if ((e.state === 'queued' || e.state === 'hashing') && !jobs[e.id]) {
          e.state = 'interrupted';
          e.message = '计算被中断（页面刷新或关闭），请重新选择该文件';
          updates.push(save(e));
        }
        if (e.verify && e.verify.state === 'hashing' && !jobs['verify:' + e.id]) {
          delete e.verify;
          updates.push(e.state === 'check' ? store.remove(e.id) : save(e));
        }
      });
      list = list.filter(function (e) { return e.state !== 'check' || e.verify; });
      const running = entries;
      entries = list.filter(function (e) { return !running.some(function (r) { return r.id === e.id; }); })
        .concat(running);
      publishNow();
      return Promise.all(updates);
    }, function (err) {
      // Without IndexedDB the files of this page still hash; they are just not kept.
      publishNow();
      console.warn('law-record-checklist: 无法读取本机已记录的哈希', err);
    });
  }

  function attach(item, files) {
    if (!caseId) { return Promise.reject(new Error('尚无案件，无法附加文件')); }
    const list = Array.prototype.slice.call(files || []);
    return Promise.all(list.map(function (file) {
      const e = entryFor(caseId, item, file);
      entries.push(e);
      save(e).catch(function () {});
      const job = pool.hash(file, {
        sm3: !!opts.sm3,
        onProgress: function (p) {
          e.state = 'hashing';
          e.bytes = p.bytes;
          e.rate = p.rate;
          e.eta = p.eta;
          e.reader = p.reader;
          publish();
        },
      });
      jobs[e.id] = job;
      return job.done.then(function (r) {
        delete jobs[e.id];
        delete e.rate;
        delete e.eta;
        e.reader = ('reader' in r && r.reader) || e.reader;
        e.simd = r.simd;
        if (r.state === 'done') {
          e.state = 'done';
          e.bytes = r.bytes;
          e.sha256 = r.sha256;
          if (r.sm3) { e.sm3 = r.sm3; }
          e.hashedAt = new Date().toISOString();
          e.seconds = r.seconds;
          if (r.fallbacks) { e.fallbacks = r.fallbacks; }
        } else {
          e.state = r.state;
          e.message = r.message || '';
        }
        if (e.state === 'cancelled') {
          entries = entries.filter(function (x) { return x !== e; });
          publishNow();
          return store.remove(e.id).then(function () { return e; });
        }
        changed();
        return save(e).then(function () { return e; });
      });
    }));
  }

  function verify(entryId, file) {
    const e = entries.find(function (x) { return x.id === entryId; });
    if (!e || !e.sha256) { return Promise.reject(new Error('没有可核验的哈希记录')); }
    const key = 'verify:' + entryId;
    if (jobs[key]) { jobs[key].cancel(); }
    e.verify = { state: 'hashing', name: file.name, size: file.size, bytes: 0 };
    publishNow();
    const job = pool.hash(file, {
      sm3: false,
      onProgress: function (p) {
        if (e.verify) { e.verify.bytes = p.bytes; e.verify.rate = p.rate; e.verify.eta = p.eta; }
        publish();
      },
    });
    jobs[key] = job;
    return job.done.then(function (r) {
      delete jobs[key];
      if (r.state === 'cancelled') {
        delete e.verify;
      } else {
        const done = r.state === 'done' ? r : null;
        e.verify = {
          state: done ? (done.sha256 === e.sha256 ? 'match' : 'mismatch') : r.state,
          name: file.name, size: file.size, sha256: done ? done.sha256 : null, message: ('message' in r && r.message) || '',
          at: new Date().toISOString(),
        };
      }
      publishNow();
      return save(e).then(function () { return e.verify || { state: 'cancelled' }; });
    });
  }

  /** Checks `file` against a SHA-256 the case records (a reviewer's 核验, whoever hashed it). */
  function check(item, sha256, file) {
    if (!caseId) { return Promise.reject(new Error('尚无案件，无法核验')); }
    const e = entryFor(caseId, item, file);
    e.state = 'check';
    e.sha256 = String(sha256).toLowerCase();
    entries.push(e);
    return save(e).catch(function () {}).then(function () { return verify(e.id, file); });
  }

  function cancel(entryId) {
    const job = jobs[entryId] || jobs['verify:' + entryId];
    if (job) { job.cancel(); }
  }

  function drop(entryId) {
    cancel(entryId);
    entries = entries.filter(function (x) { return x.id !== entryId; });
    changed();
    return store.remove(entryId);
  }

  function onRequest(ev) {
    const d = ev.detail || {};
    if (d.caseId !== caseId) { return; }
    let p = null;
    if (d.action === 'attach') { p = attach(d.item, d.files); }
    if (d.action === 'verify' && d.files && d.files.length) { p = verify(d.entry, d.files[0]); }
    if (d.action === 'check' && d.files && d.files.length) { p = check(d.item, d.sha256, d.files[0]); }
    if (d.action === 'cancel') { cancel(d.entry); }
    if (d.action === 'remove') { p = drop(d.entry); }
    if (p) { p.catch(function (err) { console.warn('law-record-checklist:', err); }); }
  }

  function onCase(ev) {
    const id = ev.detail && ev.detail.caseId || null;
    if (id !== caseId) { load(id); }
  }

  element.addEventListener('media-request', onRequest);
  element.addEventListener('case-change', onCase);

  const observed = [];
  (opts.observe || []).forEach(function (o) {
    const doc = element.ownerDocument;
    /** @type {HTMLInputElement | null} */
    const input = typeof o.input === 'string' ? doc.querySelector(o.input) : o.input;
    if (!input) {
      console.warn('law-record-checklist: 找不到要观察的文件输入框', o.input);
      return;
    }
    const listener = function () {
      if (input.files && input.files.length) {
        attach(o.item, input.files).catch(function (err) { console.warn('law-record-checklist:', err); });
      }
    };
    input.addEventListener('change', listener);
    observed.push(function () { input.removeEventListener('change', listener); });
  });

  // Settles once the case's stored entries are read (its value is no part of the API).
  const ready = load(widget.caseId() || null).then(() => {});

  return {
    ready: ready,
    attach: attach,
    verify: verify,
    check: check,
    cancel: cancel,
    remove: drop,
    /** The entries of the current case as the widget shows them. */
    entries: function () { return entries.map(function (e) { return Object.assign({}, e); }); },
    stop: function () {
      stopped = true;
      Object.keys(jobs).forEach(function (k) { jobs[k].cancel(); });
      element.removeEventListener('media-request', onRequest);
      element.removeEventListener('case-change', onCase);
      observed.forEach(function (f) { f(); });
      pool.terminate();
    },
  };
}

/**
 * Hashes one File off the page's thread and compares it with `sha256` (hex): resolves to
 * `{state: 'match' | 'mismatch', sha256}` or `{state: 'changed' | 'failed', message}`.
 * @param {Blob} file
 * @param {string} sha256
 * @param {HashOptions} [options]
 * @returns {Promise<HashResult | {state: 'match' | 'mismatch', sha256: string}>}
 */
export function verifyFile(file, sha256, options) {
  const pool = createPool(Object.assign({ workers: 1 }, options || {}));
  return pool.hash(file, {}).done.then(function (r) {
    pool.terminate();
    if (r.state !== 'done') { return r; }
    return { state: r.sha256 === String(sha256).toLowerCase() ? 'match' : 'mismatch', sha256: r.sha256 };
  });
}
