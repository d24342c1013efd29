// @ts-check
// The service worker: injects the content script on the platform hosts the settings name
// (and nowhere else), and answers the content script's request for the settings. It makes no
// network request: nothing leaves the machine.
import { effective } from './settings.js';

const SCRIPT_ID = 'law-record-checklist';

/** @type {ReturnType<typeof effective> | null} */
let current = null;

function settingsNow() {
  if (!current) {
    current = effective();
  }
  return current;
}

// Manifest V2 (the build for Chromium 83–102) has no chrome.scripting: there the manifest
// declares the content script for every http(s) page and it stops at once on a page outside
// the settings' hosts (content.js).
const CAN_REGISTER = !!(chrome.scripting && chrome.scripting.registerContentScripts);

async function register() {
  if (!CAN_REGISTER) {
    return settingsNow();
  }
  try {
    const s = await settingsNow();
    await chrome.scripting.unregisterContentScripts().catch(() => {});
    if (s.settings.hosts.length > 0 && s.settings.adapters.length > 0) {
      await chrome.scripting.registerContentScripts([{
        id: SCRIPT_ID,
        matches: s.settings.hosts,
        // The guard first, at document_start: the platform's submit is held from the first
        // moment (widget/law-record-checklist.guard.js), then the adapter and the frame.
        js: ['widget/law-record-checklist.guard.js', 'content.js'],
        runAt: 'document_start',
        // Every frame of the platform hosts: a platform may show its case form in an iframe
        // of its top page; the adapter whose `pages` match the frame's own address reads it,
        // mounts the widget and guards the submit there.
        allFrames: true,
        persistAcrossSessions: true,
      }]);
    }
  } catch (e) {
    console.error('记录清单：无法注册内容脚本', e);
  }
  return settingsNow();
}

// Registrations run one after another: two at once would both unregister, then the older
// settings could be registered last and the newer refused as a duplicate id.
/** @type {Promise<unknown>} */
let registered = Promise.resolve();

function reregister() {
  current = null;
  registered = registered.then(register, register);
  return registered;
}

// Done when the worker starts and kept by the browser; re-done when the settings change.
reregister();
chrome.runtime.onInstalled.addListener(reregister);
chrome.runtime.onStartup.addListener(reregister);
chrome.storage.onChanged.addListener((changes, area) => {
  // The widget's own records (`ls:` keys) are no settings.
  if (area === 'managed' || (area === 'local' && Object.keys(changes).some((k) => !k.startsWith('ls:')))) {
    reregister();
  }
});

// The secret each frame's content script shares with the widget frame it creates (see
// content.js): set by the content script, taken once by the frame. Kept in memory: the frame
// asks for it within moments of its creation.
const frameSecrets = new Map();
const FRAME_PAGE = chrome.runtime.getURL('frame.html');

// What the content scripts last read from each platform page open (a tab, or a frame of it),
// for the options page's 读取测试, which shows the one the administrator chooses. Kept in
// memory and, where there is one (Chromium 102+), in the session store, which a service worker
// that the browser stopped finds again; never on disk. A tab closed takes its readings along.
const OPTIONS_PAGE = chrome.runtime.getURL('options.html');
/** @type {Record<string, object> | null} */
let readings = null;
const session = chrome.storage && /** @type {any} */ (chrome.storage).session;

/** @returns {Promise<Record<string, object>>} */
function allReadings() {
  if (readings || !session) {
    readings = readings || {};
    return Promise.resolve(readings);
  }
  return session.get('readings').then((x) => (x && x.readings) || {}, () => ({})).then((r) => {
    readings = Object.assign(r, readings || {});
    return readings;
  });
}

/** Sets (or with `r` null, drops) the reading of frame `key` (`tab:frame`). */
function keepReading(key, r) {
  return allReadings().then((all) => {
    if (r) {
      all[key] = r;
    } else {
      delete all[key];
    }
    if (session) {
      session.set({ readings: all }).catch(() => {});
    }
  });
}

if (chrome.tabs && chrome.tabs.onRemoved) {
  chrome.tabs.onRemoved.addListener((tab) => {
    allReadings().then((all) => {
      Object.keys(all).filter((k) => k.split(':')[0] === String(tab)).forEach((k) => keepReading(k, null));
    });
  });
}

chrome.runtime.onMessage.addListener(function (msg, sender, reply) {
  // Only our own content scripts and pages talk to us.
  if (sender.id !== chrome.runtime.id || !msg) {
    return false;
  }
  const fromFrame = typeof sender.url === 'string' && sender.url.split('#')[0] === FRAME_PAGE;
  if (msg.type === 'lrc-frame-secret') {
    // From a content script: a tab, and not one of our own pages.
    if (sender.tab && !fromFrame && typeof msg.secret === 'string') {
      const frame = sender.frameId || 0;
      frameSecrets.set(sender.tab.id + ':' + frame, msg.secret);
      reply({ frame });
      return false;
    }
    reply(null);
    return false;
  }
  if (msg.type === 'lrc-frame-secret-take') {
    // The widget frame names the frame of the content script that created it (its address
    // says so): the platform's top page and a case page in its iframe each have their own.
    const key = sender.tab && typeof msg.frame === 'number' ? sender.tab.id + ':' + msg.frame : '';
    const secret = fromFrame && key ? frameSecrets.get(key) : undefined;
    if (fromFrame && key) {
      frameSecrets.delete(key);
    }
    reply(secret || null);
    return false;
  }
  if (msg.type === 'lrc-reading') {
    // From a content script (a tab, not our frame): what the adapter read from its page, or
    // null when its page has no adapter (any more).
    if (sender.tab && !fromFrame && (msg.reading === null || (msg.reading && typeof msg.reading === 'object'))) {
      const key = sender.tab.id + ':' + (sender.frameId || 0);
      keepReading(key, msg.reading && Object.assign({}, msg.reading, { tab: sender.tab.id, key }));
    }
    reply(null);
    return false;
  }
  if (msg.type === 'lrc-reading-get') {
    // From the options page only (an extension page, not a tab's content script): every
    // platform page read, the latest first.
    if (!(typeof sender.url === 'string' && sender.url.startsWith(OPTIONS_PAGE))) {
      reply(null);
      return false;
    }
    allReadings().then((all) => {
      reply(Object.keys(all).map((k) => all[k]).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)));
    });
    return true;
  }
  if (msg.type === 'lrc-settings') {
    settingsNow().then(reply);
    return true;
  }
  if (msg.type === 'lrc-registered' && CAN_REGISTER) {
    registered.then(() => chrome.scripting.getRegisteredContentScripts()).then(reply);
    return true;
  }
  return false;
});
