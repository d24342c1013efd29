// Content script: runs on the platform hosts of the settings. It reads the platform page into
// the engine's case contract through a page adapter (config, not code), shows the checklist
// widget beside the page's case form in an iframe of the extension's own page, and guards the
// page's submit. The widget (wasm) always runs in that iframe, never here: a content script
// compiles wasm under the page's CSP, which a locked-down platform forbids; the extension page
// also keeps the officer's ticks, the case log and file hashing in the extension's own storage
// and workers instead of the platform's origin.
(function () {
  'use strict';
  if (window.__lawRecordChecklistExtension) {
    return;
  }
  window.__lawRecordChecklistExtension = true;

  // The early guard (widget/law-record-checklist.guard.js, injected just before this script at
  // document_start, in this isolated world): until the adapter is known every form submit of
  // the page is held; then the adapter's submit target, until the checklist can decide on it
  // or the agency's `unchecked` policy applies.
  var early = window.lawRecordChecklistGuard || null;
  var adapterKnown = false;
  if (early) { early.guard(function () { return adapterKnown ? null : 'form'; }); }

  var FRAME_URL = chrome.runtime.getURL('frame.html');
  var EXT_ORIGIN = new URL(FRAME_URL).origin;
  var DEBOUNCE_MS = 300;
  var SOURCE_NAMES = { managed: '管理员策略下发', local: '本机设置', sample: '内置示例' };
  var FIELD_NAMES = {
    mount: '挂载位置', case_id: '案号', procedure: '程序', agency: '规则包', department: '承办部门',
    'records.list': '记录列表', 'records.id': '记录编号', 'records.kind': '记录类型',
    'records.made_at': '制作时间', 'records.owner': '所属', 'records.elements': '记录要素',
    'records.pages': '页数', 'owners.list': '所属列表', submit: '提交按钮', facts: '案件时间',
  };

  // ---- adapter: page → case ----

  function globToRegExp(glob) {
    return new RegExp('^' + glob.split('*').map(function (p) {
      return p.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }).join('.*') + '$');
  }

  function pickAdapter(adapters, url) {
    for (var i = 0; i < adapters.length; i++) {
      var a = adapters[i];
      if ((a.pages || []).some(function (p) { return globToRegExp(p).test(url); })) {
        return a;
      }
    }
    return null;
  }

  /** Thrown for an adapter that does not fit the page: `field` names the adapter entry. */
  function AdapterError(field, message) {
    this.field = field;
    this.message = message;
  }

  function describe(spec) {
    if (typeof spec === 'string') { return spec; }
    if (spec.field) { return '[name="' + spec.field + '"]'; }
    return spec.selector;
  }

  function find(root, spec, field) {
    var el = null;
    try {
      if (spec.field) {
        el = root.querySelector('[name="' + CSS.escape(spec.field) + '"]');
      } else {
        el = root.querySelector(typeof spec === 'string' ? spec : spec.selector);
      }
    } catch (e) {
      throw new AdapterError(field, '选择器 ' + describe(spec) + ' 写法有误（' + e.message + '）');
    }
    return el;
  }

  function normalizeTime(text) {
    var m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2}))?/.exec(text);
    if (!m) { return undefined; }
    var p = function (n) { return ('0' + n).slice(-2); };
    // A date shown without a time reads as the start of that day.
    return m[1] + '-' + p(m[2]) + '-' + p(m[3]) + 'T' + p(m[4] || 0) + ':' + p(m[5] || 0);
  }

  /**
   * One value of the page. `spec`: a selector, or `{selector | field, attr, pattern, map,
   * split, type, value, optional}`. Returns undefined for an optional value that is absent.
   */
  function read(root, spec, field) {
    if (spec === undefined || spec === null) { return undefined; }
    if (typeof spec === 'object' && spec.value !== undefined) { return spec.value; }
    var el = find(root, spec, field);
    if (!el) {
      if (spec.optional) { return undefined; }
      throw new AdapterError(field, '选择器 ' + describe(spec) + ' 在页面上找不到任何元素');
    }
    var raw;
    if (spec.attr) {
      raw = el.getAttribute(spec.attr) || '';
    } else if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
      raw = el.value;
    } else {
      raw = el.textContent || '';
    }
    raw = raw.replace(/\s+/g, ' ').trim();
    if (spec.pattern) {
      var m = new RegExp(spec.pattern).exec(raw);
      raw = m ? ((m.groups && m.groups.value) || m[1] || m[0]) : '';
    }
    if (spec.map && Object.prototype.hasOwnProperty.call(spec.map, raw)) {
      raw = spec.map[raw];
    }
    // A selector string has a `split` method too: only an object's `split` splits.
    if (typeof spec === 'object' && spec.split !== undefined) {
      return raw === '' ? [] : raw.split(spec.split).map(function (s) { return s.trim(); }).filter(Boolean);
    }
    if (spec.type === 'time') { return normalizeTime(raw); }
    if (spec.type === 'number') { var n = parseInt(raw, 10); return isNaN(n) ? undefined : n; }
    return raw === '' ? undefined : raw;
  }

  function classifyOwner(owners, text, c) {
    if (!owners || !text) { return c; }
    var act = owners.activity && new RegExp(owners.activity).exec(text);
    if (act && act.groups && act.groups.id) {
      var a = c.activities.filter(function (x) { return x.id === act.groups.id; })[0];
      if (!a) {
        a = { id: act.groups.id, kind: act.groups.kind || '', records: [] };
        c.activities.push(a);
      }
      return a;
    }
    var svc = owners.service && new RegExp(owners.service).exec(text);
    if (svc && svc.groups && svc.groups.id) {
      var s = c.services.filter(function (x) { return x.id === svc.groups.id; })[0];
      if (!s) {
        s = { id: svc.groups.id, document: svc.groups.document || '', method: owners.service_method || 'direct', records: [] };
        c.services.push(s);
      }
      return s;
    }
    return c;
  }

  /** The case as the page shows it, or null while the page shows no case yet. */
  function readCase(adapter, settings) {
    var doc = document;
    var id = read(doc, adapter.case_id, 'case_id');
    if (!id) { return null; }
    var c = { id: id, procedure: read(doc, adapter.procedure, 'procedure') || 'ordinary', records: [], activities: [], services: [] };
    var agency = read(doc, adapter.agency, 'agency') || settings.agency;
    if (agency) { c.agency = agency; }
    var department = read(doc, adapter.department, 'department');
    if (department) { c.department = department; }
    if (adapter.facts) {
      c.facts = {};
      Object.keys(adapter.facts).forEach(function (k) {
        var spec = Object.assign({ type: 'time', optional: true }, typeof adapter.facts[k] === 'string' ? { selector: adapter.facts[k] } : adapter.facts[k]);
        var t = read(doc, spec, 'facts');
        if (t) { c.facts[k] = t; }
      });
    }
    var owners = adapter.owners;
    if (owners && owners.list) {
      var opts;
      try { opts = doc.querySelectorAll(owners.list); } catch (e) { throw new AdapterError('owners.list', '选择器 ' + owners.list + ' 写法有误（' + e.message + '）'); }
      Array.prototype.forEach.call(opts, function (o) { classifyOwner(owners, (o.textContent || '').trim(), c); });
    }
    var rec = adapter.records;
    var list = find(doc, rec.list, 'records.list');
    if (!list) { throw new AdapterError('records.list', '选择器 ' + describe(rec.list) + ' 在页面上找不到任何元素'); }
    var rows = list.querySelectorAll(rec.rows || ':scope > *');
    Array.prototype.forEach.call(rows, function (row, i) {
      var r = { id: read(row, rec.id, 'records.id') || ('P' + (i + 1)), kind: read(row, rec.kind, 'records.kind') || '' };
      var at = read(row, rec.made_at, 'records.made_at');
      if (at) { r.made_at = at; }
      var el = read(row, rec.elements, 'records.elements');
      if (el && el.length) { r.elements = el; }
      var pages = read(row, rec.pages, 'records.pages');
      if (pages) { r.pages = typeof pages === 'number' ? pages : parseInt(pages, 10) || undefined; }
      var owner = classifyOwner(owners, rec.owner ? read(row, rec.owner, 'records.owner') : '', c);
      owner.records.push(r);
    });
    return c;
  }

  // ---- what the officer sees ----

  var host = null;
  var statusBox = null;
  var frame = null;

  function styleOf(el, css) {
    // CSSOM, not a style attribute or <style>: allowed under a page CSP without 'unsafe-inline'.
    Object.keys(css).forEach(function (k) { el.style[k] = css[k]; });
    return el;
  }

  function buildHost(adapter) {
    host = document.createElement('div');
    host.id = 'law-record-checklist-extension';
    var root = host.attachShadow({ mode: 'open' });
    statusBox = styleOf(document.createElement('div'), {
      font: '12px/1.5 sans-serif', color: '#475569', padding: '4px 0',
    });
    statusBox.className = 'status';
    frame = document.createElement('iframe');
    frame.src = FRAME_URL;
    frame.title = '行政执法全过程记录清单';
    styleOf(frame, { width: '100%', height: '480px', border: '0', display: 'block', colorScheme: 'normal' });
    root.appendChild(statusBox);
    root.appendChild(frame);
    var mountSpec = adapter.mount || {};
    var target = null;
    try { target = find(document, mountSpec, 'mount'); } catch (e) { target = null; }
    if (target) {
      if (mountSpec.position === 'before') { target.parentNode.insertBefore(host, target); }
      else if (mountSpec.position === 'after') { target.parentNode.insertBefore(host, target.nextSibling); }
      else { target.appendChild(host); }
    } else {
      // Nowhere to put it: a floating panel, so the message about the adapter is still seen.
      styleOf(host, { position: 'fixed', right: '12px', bottom: '12px', width: '360px', zIndex: '2147483646',
        background: '#fff', boxShadow: '0 2px 12px rgba(0,0,0,.25)', padding: '8px' });
      document.body.appendChild(host);
      throw new AdapterError('mount', '选择器 ' + describe(mountSpec) + ' 在页面上找不到任何元素');
    }
  }

  function showStatus(text) {
    statusBox.textContent = text;
    statusBox.removeAttribute('role');
    styleOf(statusBox, { color: '#475569', background: 'transparent', border: '0', padding: '4px 0' });
  }

  function showError(adapter, err) {
    var field = err && err.field ? (FIELD_NAMES[err.field] || err.field) : '';
    var text = err instanceof AdapterError
      ? '办案助手无法读取本页：适配器「' + (adapter ? adapter.name || '未命名' : '') + '」的「' + field + '」' +
        err.message + '。请管理员检查页面适配器配置。提交不受检查，平台的其他功能不受影响。'
      : '办案助手出错：' + String(err && err.message || err) + '。平台的其他功能不受影响。';
    statusBox.textContent = text;
    if (early) { early.fail(text); }
    statusBox.setAttribute('role', 'alert');
    statusBox.className = 'status error';
    styleOf(statusBox, { color: '#991b1b', background: '#fef2f2', border: '1px solid #fca5a5', padding: '8px 12px' });
    if (frame) { frame.style.display = 'none'; }
  }

  // ---- the iframe: a private MessageChannel, origin-checked ----

  var port = null;
  var frameReady = false;
  var broken = true;
  var lastSent = '';
  var held = null;
  var bypass = false;

  function send(msg, transfer) {
    if (port) { port.postMessage(msg, transfer || []); }
  }

  // A secret between this script and the frame it creates, handed to the frame by the
  // extension's service worker, never through the page: the page can reach the frame's window
  // and post to it, but it cannot learn the secret, so it cannot connect in our place.
  var secret = null;

  function newSecret() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function connect() {
    var channel = new MessageChannel();
    port = channel.port1;
    port.onmessage = function (e) { onFrameMessage(e.data || {}); };
    // To the extension's origin only: a page that swapped the frame's document gets nothing.
    frame.contentWindow.postMessage({ type: 'lrc-connect', secret: secret }, EXT_ORIGIN, [channel.port2]);
  }

  function onFrameMessage(msg) {
    if (msg.type === 'ready') {
      frameReady = true;
      lastSent = '';
      schedule();
    } else if (msg.type === 'height' && typeof msg.height === 'number') {
      frame.style.height = Math.max(120, Math.min(msg.height, 4000)) + 'px';
    } else if (msg.type === 'allowed') {
      release();
    } else if (msg.type === 'held') {
      // The widget's dialog is centred in the frame, which can be taller than the window.
      frame.scrollIntoView({ block: 'center' });
    } else if (msg.type === 'blocked') {
      held = null;
      host.setAttribute('data-blocked', String(Date.now()));
    } else if (msg.type === 'error') {
      showError(null, new Error(String(msg.message)));
    }
  }

  // ---- re-reading the page ----

  var timer = null;
  var adapterRef = null;
  var settingsRef = null;
  var sourceName = '';

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(evaluate, DEBOUNCE_MS);
  }

  function evaluate() {
    var c;
    try {
      c = readCase(adapterRef, settingsRef);
    } catch (e) {
      broken = true;
      showError(adapterRef, e);
      send({ type: 'case', case: null });
      lastSent = '';
      return;
    }
    broken = false;
    frame.style.display = 'block';
    statusBox.className = 'status';
    if (!c) {
      showStatus('办案助手 · 等待页面显示案件…');
      return;
    }
    showStatus('办案助手 · 适配器「' + (adapterRef.name || '未命名') + '」· 配置：' + sourceName + ' · 只在本机检查，不上传');
    var json = JSON.stringify(c);
    if (frameReady && json !== lastSent) {
      lastSent = json;
      send({ type: 'case', case: c });
    }
    // The frame checks each case before it answers an attempt: held submits can go to it now.
    if (early && frameReady && lastSent) { early.ready(); }
  }

  // ---- the submit guard ----

  function release() {
    var h = held;
    held = null;
    if (!h) { return; }
    bypass = true;
    try {
      if (h.form) {
        if (h.form.requestSubmit) {
          if (h.submitter) { h.form.requestSubmit(h.submitter); } else { h.form.requestSubmit(); }
        } else {
          h.form.submit();
        }
      } else if (h.button) {
        h.button.click();
      }
    } finally {
      bypass = false;
    }
  }

  function guard(adapter) {
    var spec = adapter.submit;
    if (!spec) { return; }
    var onAttempt = function (ev, isForm) {
      var target;
      try { target = find(document, spec, 'submit'); } catch (e) { return; }
      if (!target) { return; }
      var hit = isForm ? ev.target === target : target.contains(ev.target);
      if (!hit && isForm && target.tagName !== 'FORM' && ev.submitter && target.contains(ev.submitter)) { hit = true; }
      if (!hit || bypass) { return; }
      // A `submit` event a page script dispatched submits nothing: not the officer's.
      if (isForm && !ev.isTrusted) { return; }
      // A page the adapter cannot read, or a widget not loaded, never stops the officer's work.
      if (broken || !frameReady || !lastSent) { return; }
      ev.preventDefault();
      ev.stopImmediatePropagation();
      held = target.tagName === 'FORM'
        ? { form: target, submitter: ev.submitter || null }
        : (isForm ? { form: ev.target, submitter: ev.submitter || null } : { button: target });
      send({ type: 'attempt' });
    };
    document.addEventListener('submit', function (ev) { onAttempt(ev, true); }, true);
    document.addEventListener('click', function (ev) {
      var t = null;
      try { t = find(document, spec, 'submit'); } catch (e) { t = null; }
      // A form target is guarded at its submit event; a button at its click.
      if (t && t.tagName !== 'FORM') { onAttempt(ev, false); }
    }, true);
  }

  // ---- files: hashed in the extension, never uploaded ----

  function watchFiles(adapter) {
    (adapter.files || []).forEach(function (f) {
      document.addEventListener('change', function (ev) {
        var input = null;
        try { input = find(document, { selector: f.input }, 'files'); } catch (e) { input = null; }
        if (!input || ev.target !== input || !input.files || input.files.length === 0) { return; }
        // Files a page script put in the input are not footage the officer picked.
        if (!ev.isTrusted) { return; }
        // File objects are cloned to the extension page on this machine; nothing is uploaded.
        send({ type: 'files', item: f.item, files: Array.prototype.slice.call(input.files) });
      }, true);
    });
  }

  // ---- start ----

  function start(reply) {
    var adapter = reply && reply.settings ? pickAdapter(reply.settings.adapters || [], location.href) : null;
    // From now on only the adapter's submit target is held, not every form of the page.
    adapterKnown = true;
    if (!adapter) {
      // Nothing to check on this page: what was held goes on.
      if (early) { early.ready(); }
      return;
    }
    if (early) {
      early.configure(reply.settings.agencyConfig);
      if (adapter.submit) {
        early.guard(function () { return find(document, adapter.submit, 'submit'); });
      }
    }
    adapterRef = adapter;
    settingsRef = reply.settings;
    sourceName = SOURCE_NAMES[reply.source] || reply.source;
    // Registered before the frame exists, so the service worker has it when the frame asks.
    secret = newSecret();
    chrome.runtime.sendMessage({ type: 'lrc-frame-secret', secret: secret }, function () {
      // Read so that a closed worker is not reported as an unchecked error; the frame then
      // finds no secret and the widget does not connect (the early guard's policy applies).
      return chrome.runtime.lastError;
    });
    try {
      buildHost(adapter);
    } catch (e) {
      showError(adapter, e);
      return;
    }
    showStatus('办案助手 · 正在加载…');
    frame.addEventListener('load', connect, { once: true });
    guard(adapter);
    watchFiles(adapter);
    new MutationObserver(function (records) {
      // Our own panel's changes are not the page's.
      if (records.every(function (r) { return host.contains(r.target) || r.target === host; })) { return; }
      schedule();
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    // Typed values of form fields change no DOM: listen for them too.
    document.addEventListener('input', schedule, true);
    document.addEventListener('change', schedule, true);
    schedule();
  }

  // Run at document_start: the page is read once its DOM is there.
  function whenParsed(f) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', f, { once: true });
    } else {
      f();
    }
  }

  chrome.runtime.sendMessage({ type: 'lrc-settings' }, function (reply) {
    if (chrome.runtime.lastError) {
      if (early) { early.fail('办案助手无法读取设置：' + chrome.runtime.lastError.message); }
      return;
    }
    whenParsed(function () { start(reply); });
  });
})();
