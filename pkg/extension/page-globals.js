// @ts-check
// Runs in the platform page's own JavaScript world (the content script cannot see the page's
// variables): copies the values of the variables an adapter names (`{global: "caseInfo.procCode"}`)
// to the page's <html> attribute `data-lrc-globals`, as JSON text of path → text, whenever they
// change. Injected by content.js with the paths in its `data-paths`.
//
// It hands over nothing but those values: texts and numbers at the named paths, read as the
// page's text is read, never code or objects, and it has no way to the widget frame (which
// connects to the content script by a secret the page never sees).
(function () {
  'use strict';
  var me = document.currentScript;
  var paths;
  try {
    paths = JSON.parse((me && me.getAttribute('data-paths')) || '[]');
  } catch (e) {
    paths = [];
  }
  if (!Array.isArray(paths) || paths.length === 0) { return; }
  var ATTR = 'data-lrc-globals';
  // How often the page's variables are looked at: they change without any DOM change.
  var EVERY_MS = 500;

  /** The value at `path` ("a.b[0].c") from window: a text, a number or a boolean, or undefined. */
  function at(path) {
    var parts = String(path).match(/[^.[\]]+/g) || [];
    /** @type {any} */
    var v = window;
    for (var i = 0; i < parts.length; i++) {
      if (v === null || v === undefined) { return undefined; }
      try {
        v = v[parts[i]];
      } catch (e) {
        // A getter that throws is no value.
        return undefined;
      }
    }
    var t = typeof v;
    return t === 'string' || t === 'number' || t === 'boolean' ? String(v) : undefined;
  }

  var last = '';
  function copy() {
    /** @type {Record<string, string>} */
    var out = {};
    paths.forEach(function (p) {
      var v = at(p);
      if (v !== undefined) { out[p] = v; }
    });
    var json = JSON.stringify(out);
    // Written only on a change: each write is a DOM change the content script reads again on.
    if (json !== last || document.documentElement.getAttribute(ATTR) !== json) {
      last = json;
      document.documentElement.setAttribute(ATTR, json);
    }
  }

  copy();
  setInterval(copy, EVERY_MS);
})();
