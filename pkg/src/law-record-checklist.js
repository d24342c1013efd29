// <law-record-checklist>: the 行政执法全过程记录 checklist widget.
// Plain ES2019 on purpose: office PCs run Chromium 83 cores, which lack top-level await
// and logical assignment operators.
import init, * as glue from './checklist.js';
import * as hashing from './law-record-checklist.hash.js';
import * as caseLog from './law-record-checklist.log.js';

let loading = null;

/**
 * Loads and instantiates the wasm once. `input` (optional): URL, Response, or bytes of
 * `checklist_bg.wasm`; by default the file next to this module.
 */
export function load(input) {
  if (!loading) {
    const source = input || new URL('checklist_bg.wasm', import.meta.url);
    loading = init({ module_or_path: source }).then(function () {
      return {
        // The case log goes to IndexedDB through the log module, unless the host brings its
        // own `logStore` ({load(key), save(key, text)}, see the .d.ts).
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
  return load().then(function (api) {
    const w = api.mount(element, opts);
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
 * Hashes one File in a worker and compares it with a recorded SHA-256 (hex); resolves to
 * `{state: 'match' | 'mismatch', sha256}` or `{state: 'changed' | 'failed', message}`.
 */
export function verifyFile(file, sha256, options) {
  return hashing.verifyFile(file, sha256, options);
}

/** Every file fingerprinted on this machine for a case, as recorded in IndexedDB. */
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

const ATTRS = ['agency', 'procedure', 'officer', 'now', 'admin', 'config-src', 'config-fingerprint'];

// Attribute name → mount option.
const OPTION = { 'config-src': 'configUrl', 'config-fingerprint': 'configFingerprint' };

function showLoadError(el, err) {
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
      this._guards = [];
      const self = this;
      this._readyResolve = null;
      this.ready = new Promise(function (resolve) { self._readyResolve = resolve; });
    }

    connectedCallback() {
      if (this._mounting) {
        return;
      }
      const self = this;
      const options = {};
      ATTRS.forEach(function (a) {
        if (self.hasAttribute(a)) {
          options[OPTION[a] || a] = a === 'admin' ? true : self.getAttribute(a);
        }
      });
      if (this._case !== undefined) {
        options.case = this._case;
      }
      if (this.hash !== undefined) {
        options.hash = this.hash;
      }
      this._mounting = mount(this, options).then(function (w) {
        self._widget = w;
        if (self._case !== undefined && options.case === undefined) {
          w.setCase(self._case);
        }
        self._guards.forEach(function (t) { w.guardSubmit(t); });
        self._guards = [];
        self._readyResolve(w);
        return w;
      }, function (err) {
        showLoadError(self, err);
        throw err;
      });
      // The rejection is shown in the element; hosts may also observe `ready`.
      this._mounting.catch(function () {});
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
      }
    }
  }
  customElements.define(tag, LawRecordChecklist);
}

defineElement();
