// @ts-check
// Hashing worker of <law-record-checklist>: reads one File at a time as a stream and feeds
// the hashing core (hash-core*.wasm). A classic worker script in plain ES2019 so that
// Chromium 83 cores run it. The page never hashes; the file's bytes never leave this worker
// except into the wasm instance's memory.
//
// Messages in:  {type: 'init', module}                         a compiled WebAssembly.Module
//               {type: 'hash', id, file, sm3, chunk, stallMs, test}
//               {type: 'cancel', id}
// Messages out: {type: 'ready'} | {type: 'progress', id, bytes, reader}
//               {type: 'done', id, sha256, sm3, bytes, reader, fallbacks}
//               {type: 'changed', id, message} | {type: 'cancelled', id}
//               {type: 'failed', id, message}
'use strict';

var core = null;
var coreModule = null;
var current = null;

function Cancelled() {}
function Changed(message) { this.message = message; }
function Stalled() {}

self.onmessage = function (ev) {
  var m = ev.data;
  if (m.type === 'init') {
    coreModule = m.module;
    WebAssembly.instantiate(/** @type {WebAssembly.Module} */ (m.module), {}).then(function (instance) {
      core = instance.exports;
      self.postMessage({ type: 'ready' });
    }, function (err) {
      self.postMessage({ type: 'failed', id: null, message: '哈希模块无法加载：' + String(err && err.message || err) });
    });
  } else if (m.type === 'hash') {
    run(m);
  } else if (m.type === 'cancel' && current && current.id === m.id) {
    current.cancelled = true;
    if (current.wake) { current.wake(); }
  }
};

// Every slice() read allocates a fresh ArrayBuffer, and V8 collects them lazily: left alone,
// hashing a 2 GiB file this way grew the renderer by ~280 MB (a 4 GiB one by ~490 MB), which an
// office PC with a 20 GB video cannot afford. Transferring a spent buffer into a channel whose
// other end is closed detaches it here and drops it there, which frees its memory at once
// (measured: growth ~10–16 MB on 2 GiB). The bytes were copied into the wasm memory before.
var sink = null;
function release(buf) {
  try {
    if (sink === null && typeof MessageChannel === 'function') {
      sink = new MessageChannel();
      sink.port2.close();
    }
    if (sink) { sink.port1.postMessage(buf, [buf]); }
  } catch (e) {
    // Only memory is at stake: the garbage collector still frees the buffer, later.
    sink = false;
  }
}

function hex(bytes) {
  var s = '';
  for (var i = 0; i < bytes.length; i++) {
    s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  }
  return s;
}

function feed(bytes) {
  var ptr = core.hasher_input(bytes.length);
  if (ptr === 0) {
    // The core could not allocate a buffer this large (a huge chunkSize): it says so with a
    // null pointer and stays usable.
    throw new Error('哈希模块无法分配 ' + bytes.length + ' 字节的缓冲区，请减小 chunkSize');
  }
  // Re-read memory.buffer after hasher_input: growing the buffer detaches the old view.
  new Uint8Array(core.memory.buffer, ptr, bytes.length).set(bytes);
  if (core.hasher_update(bytes.length) !== 1) {
    throw new Error('哈希模块未开始计算');
  }
}

// The largest chunk a worker reads at once: two buffers of it are held, in a 32-bit wasm memory.
var MAX_CHUNK = 256 << 20;

function run(job) {
  var requested = job.chunk || 4 << 20;
  if (typeof requested !== 'number' || requested !== Math.floor(requested) || requested < 1 || requested > MAX_CHUNK) {
    // A negative or fractional size read nothing and was reported as a file that shrank.
    self.postMessage({ type: 'failed', id: job.id, message: '哈希分块大小 chunkSize 无效：' + String(requested) + '（应为 1 至 ' + MAX_CHUNK + ' 字节的整数）' });
    return;
  }
  current = { id: job.id, cancelled: false, wake: null };
  var state = current;
  var file = job.file;
  var size = file.size;
  var modified = file.lastModified;
  var chunk = requested;
  var progress = { bytes: 0, reader: 'byob', fallbacks: 0, last: 0 };
  core.hasher_start(job.sm3 ? 1 : 0);

  function report(force) {
    var now = Date.now();
    if (force || now - progress.last >= 100) {
      progress.last = now;
      self.postMessage({ type: 'progress', id: job.id, bytes: progress.bytes, reader: progress.reader });
    }
  }

  function check() {
    if (state.cancelled) { throw new Cancelled(); }
  }

  function accept(bytes) {
    if (progress.bytes + bytes.length > size) {
      throw new Changed('文件在计算过程中变大了');
    }
    feed(bytes);
    progress.bytes += bytes.length;
    report(false);
  }

  // BYOB: the reader fills one reusable buffer, so memory stays flat whatever the file size.
  // A read that does not settle within stallMs is abandoned for the slice() reader.
  function byob() {
    var reader;
    try {
      reader = file.stream().getReader({ mode: 'byob' });
    } catch (e) {
      return Promise.resolve(false);
    }
    function issue(buffer) {
      if (job.test && job.test.stallAfter != null && progress.bytes >= job.test.stallAfter && progress.fallbacks === 0) {
        // Test hook: a read that never settles, as seen in the wild.
        return new Promise(function () {});
      }
      return reader.read(new Uint8Array(buffer, 0, chunk));
    }
    // Two buffers: the next read is under way while the current chunk is hashed.
    var spare = new ArrayBuffer(chunk);
    var pending = issue(new ArrayBuffer(chunk));
    function next() {
      check();
      return watch(pending).then(function (r) {
        check();
        if (r.done) { return true; }
        pending = issue(spare);
        accept(r.value);
        spare = r.value.buffer;
        return next();
      });
    }
    function watch(read) {
      return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () { reject(new Stalled()); }, job.stallMs || 15000);
        state.wake = function () { clearTimeout(timer); reject(new Cancelled()); };
        read.then(function (r) { clearTimeout(timer); resolve(r); },
          function (e) { clearTimeout(timer); reject(e); });
      });
    }
    return next().then(function (ok) { return ok; }, function (err) {
      // Release the reader without waiting: a stuck one may never answer.
      try { reader.cancel().catch(function () {}); } catch (e) { /* already released */ }
      if (err instanceof Stalled) {
        progress.fallbacks += 1;
        return false;
      }
      throw err;
    });
  }

  // slice(): used where BYOB is missing and to finish a file whose BYOB read stalled.
  function sliced() {
    progress.reader = 'slice';
    report(true);
    var yielded = Date.now();
    function next() {
      check();
      if (progress.bytes >= size) { return Promise.resolve(); }
      if (Date.now() - yielded > 50) {
        // Synchronous reads never give the event loop a turn: take one, so a cancel arrives.
        return new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () {
          yielded = Date.now();
          return next();
        });
      }
      var end = Math.min(size, progress.bytes + chunk);
      return readSlice(file.slice(progress.bytes, end)).then(function (buf) {
        check();
        if (buf.byteLength === 0) {
          throw new Changed('文件在计算过程中变小了');
        }
        accept(new Uint8Array(buf));
        release(buf);
        return next();
      });
    }
    return next();
  }

  function readSlice(blob) {
    if (typeof FileReaderSync !== 'undefined') {
      // Synchronous in a worker, and its buffer is dropped before the next read.
      try {
        return Promise.resolve(new FileReaderSync().readAsArrayBuffer(blob));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    if (blob.arrayBuffer) { return blob.arrayBuffer(); }
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
      r.readAsArrayBuffer(blob);
    });
  }

  var useByob = typeof ReadableStreamBYOBReader !== 'undefined' && typeof file.stream === 'function' &&
    !(job.test && job.test.noByob);
  (useByob ? byob() : Promise.resolve(false)).then(function (finished) {
    return finished ? null : sliced();
  }).then(function () {
    // A stream opened before a change keeps reading the old bytes; opening the file again
    // makes Chromium compare its size and modification time with the ones picked, and refuse
    // (NotReadableError) when they differ.
    return readSlice(file.slice(Math.max(0, size - 1), size));
  }).then(function () {
    if (progress.bytes !== size || file.size !== size || file.lastModified !== modified) {
      throw new Changed('文件大小或修改时间在计算过程中发生了变化');
    }
    report(true);
    var ptr = core.hasher_finish();
    var out = new Uint8Array(core.memory.buffer, ptr, 64);
    self.postMessage({
      type: 'done', id: job.id, bytes: progress.bytes, reader: progress.reader, fallbacks: progress.fallbacks,
      sha256: hex(out.subarray(0, 32)), sm3: job.sm3 ? hex(out.subarray(32, 64)) : null,
    });
  }).catch(function (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      // A trap can leave the instance's state half-changed: the next file gets a fresh
      // instance of the same module rather than one that may trap again.
      try { core = new WebAssembly.Instance(coreModule, {}).exports; } catch (e) { /* next feed fails plainly */ }
    } else {
      core.hasher_finish();
    }
    if (err instanceof Cancelled) {
      self.postMessage({ type: 'cancelled', id: job.id });
    } else if (err instanceof Changed) {
      self.postMessage({ type: 'changed', id: job.id, message: err.message });
    } else if (err && err.name === 'NotReadableError') {
      // Chromium refuses to read a File whose file on disk changed after it was picked.
      self.postMessage({ type: 'changed', id: job.id, message: '文件在计算过程中被修改，已无法按选取时的内容读取' });
    } else {
      self.postMessage({ type: 'failed', id: job.id, message: String(err && err.message || err) });
    }
  }).then(function () {
    if (current === state) { current = null; }
  });
}
