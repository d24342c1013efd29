// The extension page that runs the widget, inside an iframe the content script puts on the
// platform page. Being the extension's own page, it may compile wasm whatever the platform's
// CSP says, and its storage, workers and IndexedDB (ticks, case log, file hashes) belong to
// the extension, not to the platform's origin. It talks only to the content script, over a
// MessageChannel handed to it once by the parent page, checked by origin.
import { mount } from './widget/law-record-checklist.js';
import { effective } from './settings.js';

// The origin of the platform page this frame sits in (set by the browser, not by the page).
const PARENT_ORIGIN = location.ancestorOrigins && location.ancestorOrigins.length ? location.ancestorOrigins[0] : null;

let port = null;
let widget = null;
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

window.addEventListener('message', function (e) {
  const first = port === null;
  const fromParent = e.source === window.parent && PARENT_ORIGIN !== null && e.origin === PARENT_ORIGIN;
  if (!fromParent || !e.data || e.data.type !== 'lrc-connect' || !e.ports || !e.ports[0]) {
    return;
  }
  if (!first) {
    // One connection per frame: a second one is someone else; tell it no.
    e.ports[0].postMessage({ type: 'refused' });
    return;
  }
  port = e.ports[0];
  port.onmessage = function (m) { onMessage(m.data || {}); };
  start();
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
    proxy.click();
  } else if (msg.type === 'files' && widget.hashing && Array.isArray(msg.files)) {
    const files = msg.files.filter(function (f) { return f instanceof File; });
    if (files.length) {
      widget.hashing.attach(String(msg.item), files).catch(function (err) {
        notice('文件指纹计算失败：' + String(err && err.message || err));
      });
    }
  }
}

function start() {
  effective().then(function (s) {
    if (s.error) {
      throw new Error('扩展设置有误（' + s.error + '）');
    }
    const st = s.settings;
    const options = { hash: {} };
    if (st.agency) { options.agency = st.agency; }
    if (st.officer) { options.officer = st.officer; }
    if (st.now) { options.now = st.now; }
    if (st.configFingerprint) { options.configFingerprint = st.configFingerprint; }
    if (st.agencyConfig) { options.config = st.agencyConfig; }
    return mount(host, options);
  }).then(function (w) {
    widget = w;
    w.guardSubmit(proxy);
    host.addEventListener('submit-allowed', function (e) {
      post({ type: 'allowed', detail: e.detail });
    });
    host.addEventListener('submit-blocked', function (e) {
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
