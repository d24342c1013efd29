// jsdom 16 as the page for the widget in Node 14.5 (V8 8.3): the window's properties become
// globals, as a browser page has them.
import jsdomPkg from 'jsdom';

const { JSDOM } = jsdomPkg;

/** Installs a jsdom window holding `html` as the global scope; returns the window. */
export function installDom(html) {
  const dom = new JSDOM(html, { url: 'http://127.0.0.1/', pretendToBeVisual: true });
  const win = dom.window;
  for (const key of Object.getOwnPropertyNames(win)) {
    if (!(key in global)) {
      try { global[key] = win[key]; } catch (e) { /* read-only in Node: keep Node's */ }
    }
  }
  global.window = win;
  global.document = win.document;
  global.localStorage = win.localStorage;
  // web-sys checks `globalThis instanceof Window`; here the global is Node's, standing in for it.
  global.Window = class {
    static [Symbol.hasInstance](x) { return x === globalThis || x instanceof win.Window; }
  };
  return win;
}
