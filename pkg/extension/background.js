// The service worker: injects the content script on the platform hosts the settings name
// (and nowhere else), and answers the content script's request for the settings. It makes no
// network request: nothing leaves the machine.
import { effective } from './settings.js';

const SCRIPT_ID = 'law-record-checklist';

let current = null;

function settingsNow() {
  if (!current) {
    current = effective();
  }
  return current;
}

function register() {
  current = null;
  return settingsNow().then(function (s) {
    return chrome.scripting.unregisterContentScripts().catch(function () {}).then(function () {
      if (s.settings.hosts.length === 0 || s.settings.adapters.length === 0) {
        return null;
      }
      return chrome.scripting.registerContentScripts([{
        id: SCRIPT_ID,
        matches: s.settings.hosts,
        js: ['content.js'],
        runAt: 'document_idle',
        allFrames: false,
        persistAcrossSessions: true,
      }]);
    });
  }).then(function () {
    return settingsNow();
  }, function (e) {
    console.error('记录清单：无法注册内容脚本', e);
    return settingsNow();
  });
}

// Registered once here and kept by the browser; re-done when the settings change.
let registered = register();

chrome.runtime.onInstalled.addListener(function () { registered = register(); });
chrome.runtime.onStartup.addListener(function () { registered = register(); });
chrome.storage.onChanged.addListener(function (_changes, area) {
  if (area === 'managed' || area === 'local') {
    registered = register();
  }
});

chrome.runtime.onMessage.addListener(function (msg, sender, reply) {
  // Only our own content scripts and pages talk to us.
  if (sender.id !== chrome.runtime.id || !msg) {
    return false;
  }
  if (msg.type === 'lrc-settings') {
    settingsNow().then(reply);
    return true;
  }
  if (msg.type === 'lrc-registered') {
    registered.then(function () {
      return chrome.scripting.getRegisteredContentScripts();
    }).then(reply);
    return true;
  }
  return false;
});
