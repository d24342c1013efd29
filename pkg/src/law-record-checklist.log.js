// The widget's per-case log (a hash chain, see rules-core `CaseLog`) kept in IndexedDB.
// Plain ES2019, like the loader: office PCs run Chromium 83 cores.
//
// One record per entry, key [log key, index], written with `add` only: a stored entry is never
// overwritten, and each save adds just what the store lacks, after checking that what it holds
// is a prefix of the widget's log (so a second tab cannot fork the chain on disk).
// localStorage is the fallback when IndexedDB is unavailable or full, and where logs lived
// before: such a copy is read back, merged, and removed only once IndexedDB holds it all.

const DB_NAME = 'law-record-checklist-log';
const STORE = 'entries';

let opening = null;

function db() {
  if (!opening) {
    opening = new Promise(function (resolve, reject) {
      // Some browsers (and privacy modes) lack it, or throw on open: both mean "unavailable".
      if (typeof indexedDB === 'undefined' || !indexedDB) { reject(new Error('no indexedDB')); return; }
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: ['log', 'seq'] }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    // A failed open is retried on the next call (the officer may free space or allow storage).
    opening.catch(function () { opening = null; });
  }
  return opening;
}

function range(key) {
  return IDBKeyRange.bound([key, 0], [key, Infinity]);
}

function local() {
  // The getter itself throws where the browser blocks storage.
  try { return window.localStorage || null; } catch (e) { return null; }
}

// Whether entries `a` continue entries `b` (b is a prefix of a, compared by hash).
function extendsLog(a, b) {
  return a.length >= b.length && (b.length === 0 || a[b.length - 1].hash === b[b.length - 1].hash);
}

function entriesOf(text) {
  const entries = JSON.parse(text).entries;
  if (!Array.isArray(entries)) { throw new Error('entries'); }
  return entries;
}

// Moves a localStorage copy that cannot be merged out of the way, keeping its text.
function aside(store, key, text, why) {
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
export function load(key) {
  const read = db().then(function (d) {
    return new Promise(function (resolve, reject) {
      const req = d.transaction(STORE, 'readonly').objectStore(STORE).getAll(range(key));
      req.onsuccess = function () { resolve(req.result.map(function (r) { return r.entry; })); };
      req.onerror = function () { reject(req.error); };
    });
  });
  return read.then(null, function () { return []; }).then(function (entries) {
    let warning = null;
    const store = local();
    let text = null;
    try { text = store && store.getItem(key); } catch (e) { text = null; }
    if (text) {
      let copy = null;
      try { copy = entriesOf(text); } catch (e) { warning = aside(store, key, text, '无法读取'); }
      if (copy && extendsLog(copy, entries)) {
        // An older widget's log, or one kept here while IndexedDB refused: it holds more.
        entries = copy;
      } else if (copy && !extendsLog(entries, copy)) {
        warning = aside(store, key, text, '与 IndexedDB 中的记录不一致');
      }
    }
    return { entries: JSON.stringify(entries), warning: warning };
  });
}

function write(key, entries) {
  return db().then(function (d) {
    return new Promise(function (resolve, reject) {
      const t = d.transaction(STORE, 'readwrite');
      const s = t.objectStore(STORE);
      let failure = null;
      const last = s.openCursor(range(key), 'prev');
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

function stored(key, entries) {
  // IndexedDB holds all of it now: a localStorage copy it covers is redundant.
  const store = local();
  try {
    const text = store && store.getItem(key);
    if (text && extendsLog(entries, entriesOf(text))) { store.removeItem(key); }
  } catch (e) { /* unreadable copies stay where they are */ }
  return null;
}

function refused(key, text, err) {
  const store = local();
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

const queues = {};

/**
 * Stores the whole log (`text`: the exported JSON) under `key`, adding to IndexedDB what it
 * lacks. Saves of one key run one after another, in call order, so entries land in chain
 * order. Resolves to null, or to a zh-CN warning when IndexedDB refused (the log is then
 * kept in localStorage when that works). Never rejects.
 */
export function save(key, text) {
  const run = function () {
    let entries;
    try { entries = entriesOf(text); } catch (e) { return '操作日志无法序列化，未能保存'; }
    return write(key, entries).then(function () { return stored(key, entries); }, function (err) {
      return refused(key, text, err);
    });
  };
  const next = (queues[key] || Promise.resolve()).then(run);
  queues[key] = next;
  return next;
}
