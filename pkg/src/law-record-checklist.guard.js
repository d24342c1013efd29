// @ts-check
// law-record-checklist.guard.js: holds the platform's submit from the first moment, before the
// checklist widget has loaded. A classic script for the page's <head>, run synchronously:
//
//   <script src="/dist/law-record-checklist.guard.js" data-submit="#case-form"
//           data-config="agency-config.json"></script>
//
// `data-submit`: selector of the guarded form (its `submit`) or button (its `click`);
// `data-config`: the agency config (same origin), read for `unchecked` and
// `load_timeout_seconds`. A submit pressed while the widget loads is held with 「正在检查记录…」
// and handed to the widget once it can decide; if the widget cannot load in time, the agency's
// `unchecked` policy applies (allow-notice | ask-reason | block; default ask-reason).
//
// Plain ES2017 and no modules on purpose: it must run in Chromium 83 before anything else.
(function () {
  'use strict';
  if (window.lawRecordChecklistGuard) {
    return;
  }
  if (window.performance && typeof performance.mark === 'function') {
    performance.mark('law-record-checklist:guard-start');
  }
  var POLICIES = ['allow-notice', 'ask-reason', 'block'];
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var selectors = [];
  var policy = 'ask-reason';
  var timeoutSeconds = 10;
  // The agency config's `min_note_chars` (the engine's Config::note_is_enough counts the same:
  // letters and digits, 汉字 included, not punctuation or spaces).
  var minNote = 6;
  var started = Date.now();
  var timer = 0;
  // 'waiting' until the widget can decide ('ready'), or 'failed' with `why`.
  /** @type {'waiting' | 'ready' | 'failed'} */
  var state = 'waiting';
  var why = '';
  var held = null;
  // Why a widget that was ready went away (rearm), for the message if it does not come back.
  var lost = '';
  var passing = false;
  var ui = null;
  var pending = [];

  function mark(name) {
    if (window.performance && typeof performance.mark === 'function') {
      performance.mark('law-record-checklist:' + name);
    }
  }

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  // ── What is guarded ────────────────────────────────────────────────────────────────────
  function guard(target) {
    if (target) {
      selectors.push(target);
    }
  }

  // A target: a selector, an element, or a function returning the element (found anew at each
  // attempt, as a single-page platform may re-render it).
  function resolve(target) {
    if (typeof target !== 'function') {
      return target;
    }
    try {
      return target() || null;
    } catch (e) {
      return null;
    }
  }

  function guarded(ev) {
    for (var i = 0; i < selectors.length; i++) {
      if (hits(ev, resolve(selectors[i]))) {
        return true;
      }
    }
    return false;
  }

  // Whether `ev` submits target `t`: a form at its `submit`, anything else at a `click` inside
  // it. A selector may name several targets ("#btnSave, #btnSubmitAudit"), forms and buttons.
  function hits(ev, t) {
    if (!t || !ev.target || ev.target.nodeType !== 1) {
      return false;
    }
    var el = null;
    if (typeof t === 'string') {
      try {
        el = ev.target.closest(t);
      } catch (e) {
        el = null;
      }
    } else if (t === ev.target || (typeof t.contains === 'function' && t.contains(ev.target))) {
      el = t;
    }
    return !!el && ev.type === (el.tagName === 'FORM' ? 'submit' : 'click');
  }

  // ── Letting a held submit go ───────────────────────────────────────────────────────────
  function reissue(h) {
    passing = true;
    try {
      if (h.form) {
        if (typeof h.form.requestSubmit === 'function') {
          h.form.requestSubmit(h.submitter && h.submitter.form === h.form ? h.submitter : undefined);
        } else if (h.submitter) {
          h.submitter.click();
        } else {
          h.form.submit();
        }
      } else {
        h.target.click();
      }
    } finally {
      passing = false;
    }
  }

  function onAttempt(ev) {
    if (passing || state === 'ready' || !guarded(ev)) {
      return;
    }
    // A `submit` event a page script dispatched submits nothing: not the officer's.
    if (ev.type === 'submit' && !ev.isTrusted) {
      return;
    }
    if (state === 'failed' && policy === 'allow-notice') {
      allowUnchecked(null);
      return;
    }
    ev.preventDefault();
    ev.stopImmediatePropagation();
    var form = ev.type === 'submit' ? ev.target : null;
    held = { form: form, submitter: form ? ev.submitter || null : null, target: ev.target };
    if (state === 'failed') {
      applyPolicy();
    } else {
      showStatus('正在检查记录…');
    }
  }

  // ── The agency's policy when the widget cannot decide ──────────────────────────────────
  function record(reason) {
    var entry = { at: new Date().toISOString(), why: why, reason: reason };
    pending.push(entry);
    emit('submit-allowed', { checked: false, unchecked: why, reason: reason, warnings: [] });
  }

  function allowUnchecked(reason) {
    record(reason);
    showNotice('本案未经记录清单检查即提交：' + why + '。');
    var h = held;
    held = null;
    if (h) {
      reissue(h);
    }
  }

  function applyPolicy() {
    hideStatus();
    if (policy === 'allow-notice') {
      allowUnchecked(null);
    } else if (policy === 'block') {
      emit('submit-blocked', { blocking: [], report: null, unchecked: why });
      openDialog(false);
    } else {
      openDialog(true);
    }
  }

  function fail(reason) {
    if (state !== 'waiting') {
      return;
    }
    state = 'failed';
    why = String(reason || '记录清单未能加载');
    clearTimeout(timer);
    mark('guard-failed');
    if (held) {
      applyPolicy();
    }
  }

  function ready() {
    if (state === 'ready') {
      return;
    }
    state = 'ready';
    clearTimeout(timer);
    hideStatus();
    hideNotice();
    var h = held;
    held = null;
    if (ui && ui.dialog.open) {
      ui.dialog.close();
    }
    // The widget decides on the submit the officer already pressed.
    if (h) {
      reissue(h);
    }
  }

  // The widget went away after it was ready (a page script removed it, a single-page platform
  // re-rendered its container, it stopped answering): submits are held again, as while it
  // loaded, until ready() or fail(), with a new load timeout. `h`, a submit held elsewhere
  // (by the extension's content script) that the widget will not answer, is held here;
  // `reason` says what happened, for the officer if the widget does not come back in time.
  function rearm(h, reason) {
    if (state === 'ready') {
      state = 'waiting';
      why = '';
      lost = reason ? String(reason) : '';
      started = Date.now();
      schedule();
    }
    if (h) {
      held = h;
      if (state === 'failed') {
        applyPolicy();
      } else {
        showStatus('正在检查记录…');
      }
    }
  }

  function schedule() {
    clearTimeout(timer);
    var left = Math.max(0, timeoutSeconds * 1000 - (Date.now() - started));
    timer = setTimeout(function () {
      fail(lost ? lost + '，未能在 ' + timeoutSeconds + ' 秒内重新显示' : '记录清单未能在 ' + timeoutSeconds + ' 秒内加载');
    }, left);
  }

  function readConfig(url) {
    var href;
    try {
      href = new URL(url, document.baseURI);
    } catch (e) {
      return;
    }
    // Only the page's own origin, as the widget itself requires.
    if (href.origin !== location.origin || typeof fetch !== 'function') {
      return;
    }
    fetch(href.href).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(configure).catch(function () {
      // The widget reports a config it cannot read; here the defaults stay.
    });
  }

  // Takes `unchecked` and `load_timeout_seconds` from an agency config; other values stay.
  function configure(c) {
    if (!c || typeof c !== 'object') {
      return;
    }
    if (POLICIES.indexOf(c.unchecked) >= 0) {
      policy = c.unchecked;
    }
    var m = c.min_note_chars;
    if (typeof m === 'number' && m >= 0) {
      minNote = m;
    }
    var t = c.load_timeout_seconds;
    if (typeof t === 'number' && t >= 0 && t <= 600) {
      timeoutSeconds = t;
      if (state === 'waiting') {
        schedule();
      }
    }
  }

  // ── What the officer sees ─────────────────────────────────────────────────────────────
  var CSS = ':host{all:initial}' +
    '.toast{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:2147483647;' +
    'font:14px/1.5 system-ui,"Microsoft YaHei",sans-serif;padding:8px 16px;border-radius:4px;' +
    'box-shadow:0 2px 8px rgba(0,0,0,.25);max-width:90vw}' +
    '.status{background:#1e3a5f;color:#fff}.notice{background:#fff7d6;color:#5c4200;border:1px solid #b58900}' +
    'dialog{font:14px/1.5 system-ui,"Microsoft YaHei",sans-serif;color:#1f2937;border:0;border-radius:6px;' +
    'padding:20px;max-width:min(520px,90vw);box-shadow:0 10px 30px rgba(0,0,0,.3)}' +
    'dialog::backdrop{background:rgba(0,0,0,.45)}h2{font-size:18px;margin:0 0 8px}p{margin:0 0 8px}' +
    'label{display:block;margin:8px 0 4px;font-weight:600}' +
    'textarea{box-sizing:border-box;width:100%;min-height:72px;font:inherit;padding:6px;border:1px solid #6b7280}' +
    '.bad{color:#b91c1c;min-height:1.5em}.row{display:flex;justify-content:flex-end;margin-top:12px}' +
    'button{font:inherit;padding:6px 16px;margin-left:8px;border:1px solid #6b7280;border-radius:4px;' +
    'background:#fff;color:#1f2937;cursor:pointer}button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}' +
    'button:focus,textarea:focus{outline:2px solid #1d4ed8;outline-offset:2px}';

  function build() {
    if (ui) {
      return ui;
    }
    var host = document.createElement('div');
    host.setAttribute('data-law-record-checklist-guard', '');
    var root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<style>' + CSS + '</style>' +
      '<div class="toast status" role="status" hidden></div>' +
      '<div class="toast notice" role="alert" hidden></div>' +
      '<dialog aria-labelledby="t" aria-describedby="d"><h2 id="t"></h2><p id="d"></p><p class="why"></p>' +
      '<div class="ask"><label for="r">未经检查仍要提交的理由</label><textarea id="r"></textarea>' +
      '<p class="bad" role="alert"></p></div>' +
      '<div class="row"><button type="button" class="cancel">返回</button>' +
      '<button type="button" class="primary ok">填写理由并提交</button></div></dialog>';
    (document.body || document.documentElement).appendChild(host);
    ui = {
      status: root.querySelector('.status'),
      notice: root.querySelector('.notice'),
      dialog: root.querySelector('dialog'),
      title: root.querySelector('h2'),
      lead: root.querySelector('#d'),
      why: root.querySelector('.why'),
      ask: root.querySelector('.ask'),
      reason: root.querySelector('textarea'),
      error: root.querySelector('.bad'),
      ok: root.querySelector('.ok'),
      cancel: root.querySelector('.cancel'),
    };
    ui.cancel.addEventListener('click', function () {
      held = null;
      ui.dialog.close();
    });
    ui.dialog.addEventListener('cancel', function () {
      held = null;
    });
    ui.ok.addEventListener('click', function () {
      var reason = ui.reason.value.trim();
      if (!reason) {
        ui.error.textContent = '请填写未经检查仍要提交的理由。';
        ui.reason.focus();
        return;
      }
      if ((reason.match(/[\p{L}\p{N}]/gu) || []).length < minNote) {
        ui.error.textContent = '理由太简短：请写明具体情况（至少 ' + minNote + ' 个字，标点不计）。';
        ui.reason.focus();
        return;
      }
      ui.dialog.close();
      allowUnchecked(reason);
    });
    return ui;
  }

  function showStatus(text) {
    var u = build();
    u.status.textContent = text;
    u.status.hidden = false;
  }

  function hideStatus() {
    if (ui) {
      ui.status.hidden = true;
    }
  }

  function showNotice(text) {
    var u = build();
    u.notice.textContent = text;
    u.notice.hidden = false;
  }

  function hideNotice() {
    if (ui) {
      ui.notice.hidden = true;
    }
  }

  function openDialog(ask) {
    var u = build();
    u.title.textContent = ask ? '记录清单无法检查本案' : '不能提交：记录清单无法检查本案';
    u.lead.textContent = ask
      ? '本案的记录是否齐全未经检查。如仍要提交，请填写理由。'
      : '按本机关设置，未经检查的案件不能提交。请刷新页面重试；仍无法加载时请联系系统管理员。';
    u.why.textContent = '原因：' + why;
    u.ask.hidden = !ask;
    u.ok.hidden = !ask;
    u.cancel.textContent = ask ? '取消' : '返回';
    u.reason.value = '';
    u.error.textContent = '';
    if (!u.dialog.open) {
      u.dialog.showModal();
    }
    (ask ? u.reason : u.cancel).focus();
  }

  // ── Start ─────────────────────────────────────────────────────────────────────────────
  // Until the element is defined, its box says what is coming rather than staying empty.
  var placeholder = document.createElement('style');
  placeholder.textContent = 'law-record-checklist:not(:defined){display:block;min-height:48px;padding:12px;' +
    'border:1px solid #d6dde5;background:#f8fafc;color:#475569;font:14px/1.5 system-ui,"Microsoft YaHei",sans-serif}' +
    'law-record-checklist:not(:defined)::before{content:"正在加载记录清单……"}';
  // (Run as an extension's content script at document_start, the page may have no element yet.)
  var head = document.head || document.documentElement;
  if (head) {
    head.appendChild(placeholder);
  }
  // The widget's wasm starts downloading now, beside the platform's own scripts, rather than
  // when the widget's module runs. Its name carries its content (the build writes it here and in
  // the loader), so an integrator's page never has to change with a release. Only when loaded
  // from a script file: the extension's content script has no file of its own on the page.
  var scriptSrc = script instanceof HTMLScriptElement ? script.src : '';
  if (head && scriptSrc) {
    var preload = document.createElement('link');
    preload.rel = 'preload';
    preload.as = 'fetch';
    preload.crossOrigin = 'anonymous';
    preload.href = new URL('checklist_bg.wasm', scriptSrc).href;
    head.appendChild(preload);
  }
  guard(data.submit);
  if (data.timeout && !isNaN(Number(data.timeout))) {
    timeoutSeconds = Number(data.timeout);
  }
  if (data.config) {
    readConfig(data.config);
  }
  document.addEventListener('submit', onAttempt, true);
  document.addEventListener('click', onAttempt, true);
  schedule();
  mark('guarded');

  /**
   * The page-wide guard. The widget's loader calls `ready()` once the widget can decide on a
   * submit and `fail(why)` when it cannot load, `rearm(held?, reason?)` when a ready widget went away;
   * a platform may `guard(target)` more targets (a selector, an element, or a function
   * returning one) and `configure(agencyConfig)`.
   * `unchecked()` lists the submits let through unchecked on this page, `{at, why, reason}`;
   * `takeUnchecked()` hands them over (the widget logs them with its case).
   */
  window.lawRecordChecklistGuard = {
    guard: guard,
    configure: configure,
    ready: ready,
    fail: fail,
    rearm: rearm,
    unchecked: function () {
      return pending.slice();
    },
    // The widget's loader takes them to log with the case once the widget has loaded.
    takeUnchecked: function () {
      return pending.splice(0, pending.length);
    },
    get state() {
      return state;
    },
  };
})();
