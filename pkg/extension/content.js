// @ts-check
// Content script: runs on the platform hosts of the settings. It reads the platform page into
// the engine's case contract through a page adapter (config, not code), shows the checklist
// widget beside the page's case form in an iframe of the extension's own page, and guards the
// page's submit. The widget (wasm) always runs in that iframe, never here: a content script
// compiles wasm under the page's CSP, which a locked-down platform forbids; the extension page
// also keeps the officer's ticks, the case log and file hashing in the extension's own storage
// and workers instead of the platform's origin.
//
// A submit is never swallowed: while the widget cannot decide (loading, re-mounting after the
// page removed it, not answering), the early guard holds the submit and applies the agency's
// `unchecked` policy when the widget does not come back in time.
(function () {
  'use strict';
  if (window.__lawRecordChecklistExtension) {
    return;
  }
  window.__lawRecordChecklistExtension = true;

  // The early guard (widget/law-record-checklist.guard.js, injected just before this script at
  // document_start, in this isolated world): until the adapter is known every form submit of
  // the page is held; then the current adapter's submit targets, until the checklist can
  // decide on them or the agency's `unchecked` policy applies.
  var early = window.lawRecordChecklistGuard || null;
  var adapterKnown = false;
  var adapterRef = null;
  if (early) {
    early.guard(function () {
      if (!adapterKnown) { return 'form'; }
      return adapterRef ? submitSelector(adapterRef) : null;
    });
  }

  var FRAME_URL = chrome.runtime.getURL('frame.html');
  var EXT_ORIGIN = new URL(FRAME_URL).origin;
  var DEBOUNCE_MS = 300;
  // While a page loads its case (by XHR), elements are missing for a moment: no error then.
  var GRACE_MS = 3000;
  // How long a mount point that renders late is waited for.
  var MOUNT_WAIT_MS = 10000;
  // How long the widget has to answer a submit attempt before it counts as gone.
  var ACK_MS = 3000;
  // Re-mounts after the page removed the widget, within REMOUNT_WINDOW_MS, before giving up:
  // a page that removes it again at once would otherwise load the frame in a loop.
  var MAX_REMOUNTS = 5;
  var REMOUNT_WINDOW_MS = 10000;
  var SOURCE_NAMES = { managed: '管理员策略下发', local: '本机设置', sample: '内置示例' };
  var FIELD_NAMES = {
    mount: '挂载位置', case_id: '案号', procedure: '程序', agency: '规则包', department: '承办部门',
    'records.list': '记录列表', 'records.rows': '记录行', 'records.id': '记录编号', 'records.kind': '记录类型',
    'records.made_at': '制作时间', 'records.owner': '所属', 'records.elements': '记录要素',
    'records.pages': '页数', 'records.placeholder': '占位行正则', 'records.header': '表头', 'owners.list': '所属列表', 'owners.activity': '执法活动正则',
    'owners.service': '送达正则', submit: '提交按钮', files: '文件输入框', facts: '案件时间',
    'records.signatures': '签名', 'records.signed_at': '签名日期', 'records.signed_every_page': '逐页签名',
    'records.media': '音像文件', 'records.media_recorded_from': '拍摄开始时间', 'records.media_recorded_to': '拍摄结束时间',
    'records.media_stored_at': '存储时间',
    'activities.list': '执法活动列表', 'activities.rows': '执法活动行', 'activities.header': '表头', 'activities.placeholder': '占位行正则',
    'activities.id': '执法活动编号', 'activities.kind': '执法活动类型', 'activities.start': '开始时间', 'activities.end': '结束时间', 'activities.place': '地点',
    'services.list': '送达列表', 'services.rows': '送达行', 'services.header': '表头', 'services.placeholder': '占位行正则',
    'services.id': '送达编号', 'services.document': '送达文书', 'services.method': '送达方式', 'services.at': '送达时间',
  };
  // Rows a platform shows in an empty table instead of records.
  var PLACEHOLDER = /^(暂无数据|暂无记录|暂无|无数据|无记录|没有数据|没有记录|查询无结果|无匹配数据|加载中\.*|正在加载\.*|No data.*|Loading\.*)$/i;

  // ---- adapter: page → case ----

  function globToRegExp(glob) {
    return new RegExp('^' + glob.split('*').map(function (p) {
      return p.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }).join('.*') + '$');
  }

  /**
   * Whether `url` is under one of the settings' `hosts` (Chrome match patterns: scheme `*` is
   * http or https, host `*.x` is x and its subdomains, no port is any port, `*` in the path is
   * anything). The Manifest V3 build is injected only there anyway; the Manifest V2 build is
   * declared for every page and stops here elsewhere.
   */
  function hostAllowed(url, hosts) {
    var u;
    try { u = new URL(url); } catch (e) { return false; }
    return (hosts || []).some(function (pattern) {
      var m = /^(\*|https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
      if (!m) { return false; }
      if (m[1] === '*' ? (u.protocol !== 'http:' && u.protocol !== 'https:') : m[1] + ':' !== u.protocol) { return false; }
      var hp = m[2].split(':');
      if (hp.length > 1 && hp[1] !== '*' && hp[1] !== u.port) { return false; }
      var h = hp[0];
      var hostOk = h === '*' || u.hostname === h || (h.indexOf('*.') === 0 && (u.hostname === h.slice(2) || u.hostname.slice(-(h.length - 1)) === h.slice(1)));
      return hostOk && globToRegExp(m[3]).test(u.pathname + u.search);
    });
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

  /**
   * Thrown for an adapter that does not fit the page: `field` names the adapter entry.
   * `syntax`: the adapter itself is wrong (bad CSS or regular expression), whatever the page.
   */
  function AdapterError(field, message, syntax) {
    this.field = field;
    this.message = message;
    this.syntax = !!syntax;
  }

  function describe(spec) {
    if (typeof spec === 'string') { return spec; }
    if (!spec) { return '（未写）'; }
    if (spec.field) { return '[name="' + spec.field + '"]'; }
    if (spec.column !== undefined) { return '列「' + spec.column + '」'; }
    if (spec.global !== undefined) { return '页面变量 ' + spec.global; }
    return spec.selector;
  }

  function collapse(text) {
    return (text || '').replace(/\s+/g, ' ').trim();
  }

  /**
   * The columns of a records table by their header text: `header` (a selector of the header
   * cells, from the document) or the `thead th` of the table around `list`.
   */
  function columnsOf(list, rec, field) {
    var cells = rec.header !== undefined ? findAll(document, rec.header, field + '.header')
      : findAll(list.closest('table') || list, 'thead th', field + '.header');
    return cells.map(function (c) { return collapse(c.textContent); });
  }

  /** The cell of `row` under the header `name`, or an error listing the headers there are. */
  function cellOf(row, spec, columns, field) {
    if (!columns) {
      throw new AdapterError(field, '的 column 只能用于记录表格的列', true);
    }
    var i = columns.indexOf(spec.column);
    if (i < 0) {
      throw new AdapterError(field, '的列「' + spec.column + '」在表头中找不到（表头：' +
        (columns.length ? columns.join('、') : '无') + '）');
    }
    var cells = row.querySelectorAll(':scope > td, :scope > th');
    return (cells.length ? cells : row.children)[i] || null;
  }

  function selectorOf(spec) {
    if (typeof spec === 'string') { return spec; }
    if (spec && spec.field) { return '[name="' + CSS.escape(spec.field) + '"]'; }
    return spec && spec.selector;
  }

  function find(root, spec, field) {
    try {
      return root.querySelector(selectorOf(spec));
    } catch (e) {
      throw new AdapterError(field, '选择器 ' + describe(spec) + ' 写法有误（' + e.message + '）', true);
    }
  }

  function findAll(root, spec, field) {
    try {
      return Array.prototype.slice.call(root.querySelectorAll(selectorOf(spec)));
    } catch (e) {
      throw new AdapterError(field, '选择器 ' + describe(spec) + ' 写法有误（' + e.message + '）', true);
    }
  }

  function regex(source, field) {
    try {
      return new RegExp(source);
    } catch (e) {
      throw new AdapterError(field, '正则表达式 ' + source + ' 写法有误（' + e.message + '）', true);
    }
  }

  function normalizeTime(text) {
    var m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2}))?/.exec(text);
    if (!m) { return undefined; }
    var p = function (n) { return ('0' + n).slice(-2); };
    // A date shown without a time reads as the start of that day.
    return m[1] + '-' + p(m[2]) + '-' + p(m[3]) + 'T' + p(m[4] || 0) + ':' + p(m[5] || 0);
  }

  /**
   * One value of the page. `spec`: a selector, or `{selector | field | column | global, attr,
   * pattern, map, split, type, value, optional}` (`column`: a records table's column by its
   * header text, given the table's `columns`; `global`: a page variable, copied by
   * page-globals.js). Returns undefined for an optional value that is absent.
   */
  function read(root, spec, field, columns) {
    if (spec === undefined || spec === null) { return undefined; }
    if (typeof spec === 'object' && spec.value !== undefined) { return spec.value; }
    var raw;
    if (typeof spec === 'object' && spec.global !== undefined) {
      if (root !== document) {
        throw new AdapterError(field, '的 global（页面变量）只能用于案件一级的值，不能用于记录表格的行', true);
      }
      raw = pageGlobals()[spec.global];
      if (raw === undefined) {
        if (spec.optional) { return undefined; }
        throw new AdapterError(field, '的页面变量 ' + spec.global + ' 在页面上不存在，或不是文字或数字');
      }
      return convert(raw, spec, field);
    }
    var el = typeof spec === 'object' && spec.column !== undefined ? cellOf(root, spec, columns, field) : find(root, spec, field);
    if (!el) {
      if (spec.optional) { return undefined; }
      throw new AdapterError(field, '选择器 ' + describe(spec) + ' 在页面上找不到任何元素');
    }
    if (spec.attr) {
      raw = el.getAttribute(spec.attr) || '';
    } else if (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) {
      raw = el.value;
    } else {
      raw = el.textContent || '';
    }
    return convert(raw, spec, field);
  }

  /** A value's text as the case takes it: its `pattern`, `map`, `split` and `type`. */
  function convert(raw, spec, field) {
    raw = raw.replace(/\s+/g, ' ').trim();
    if (spec.pattern) {
      var m = regex(spec.pattern, field).exec(raw);
      if (!m && raw !== '' && !spec.optional) {
        // Said, rather than read as "no value": an id that never matches would leave the
        // widget waiting for a case forever.
        throw new AdapterError(field, '的正则 ' + spec.pattern + ' 与页面上的文字「' +
          (raw.length > 40 ? raw.slice(0, 40) + '…' : raw) + '」不匹配（' + (typeof spec === 'object' && spec.global !== undefined ? '' : '选择器 ') + describe(spec) + '）');
      }
      raw = m ? ((m.groups && m.groups.value) || m[1] || m[0]) : '';
    }
    if (spec.map && Object.prototype.hasOwnProperty.call(spec.map, raw)) {
      raw = spec.map[raw];
    }
    // A selector string has a `split` method too: only an object's `split` splits.
    if (typeof spec === 'object' && spec.split !== undefined) {
      return raw === '' ? [] : raw.split(spec.split).map(function (s) { return s.trim(); }).filter(Boolean);
    }
    // A page variable may hold a time as milliseconds (or seconds) since 1970: read in the
    // officer's own time zone, as the page shows it.
    if (spec.type === 'time' && /^\d{10}(\d{3})?$/.test(raw)) {
      var d = new Date(parseInt(raw, 10) * (raw.length === 10 ? 1000 : 1));
      raw = d.getFullYear() + '-' + (d.getMonth() + 1) + '-' + d.getDate() + ' ' + d.getHours() + ':' + d.getMinutes();
    }
    if (spec.type === 'time') { return normalizeTime(raw); }
    if (spec.type === 'number') { var n = parseInt(raw, 10); return isNaN(n) ? undefined : n; }
    return raw === '' ? undefined : raw;
  }

  // ---- values in the page's JavaScript variables ----

  var GLOBALS_ATTR = 'data-lrc-globals';
  var globalsInjected = false;

  /**
   * The values page-globals.js copied from the page's variables: path → text. Only texts are
   * taken; what else the page may have written there is ignored.
   */
  function pageGlobals() {
    var out = {};
    var parsed;
    try { parsed = JSON.parse(document.documentElement.getAttribute(GLOBALS_ATTR) || '{}'); } catch (e) { parsed = {}; }
    if (parsed && typeof parsed === 'object') {
      Object.keys(parsed).forEach(function (k) {
        if (typeof parsed[k] === 'string') { out[k] = parsed[k]; }
      });
    }
    return out;
  }

  /** The page variables the adapters name (case-level values and facts). */
  function globalPaths(adapters) {
    var out = [];
    var add = function (spec) {
      if (spec && typeof spec === 'object' && typeof spec.global === 'string' && out.indexOf(spec.global) < 0) { out.push(spec.global); }
    };
    (adapters || []).forEach(function (a) {
      ['case_id', 'procedure', 'agency', 'department'].forEach(function (k) { add(a[k]); });
      Object.keys(a.facts || {}).forEach(function (k) { add(a.facts[k]); });
    });
    return out;
  }

  /**
   * Puts page-globals.js into the page's own world (a content script cannot read the page's
   * variables): an extension file, which the page's CSP does not stop.
   */
  function injectGlobals(adapters) {
    var paths = globalPaths(adapters);
    if (globalsInjected || paths.length === 0) { return; }
    globalsInjected = true;
    var s = document.createElement('script');
    s.src = chrome.runtime.getURL('page-globals.js');
    s.setAttribute('data-paths', JSON.stringify(paths));
    s.onload = s.onerror = function () { s.remove(); };
    (document.head || document.documentElement).appendChild(s);
  }

  function classifyOwner(owners, text, c) {
    if (!owners || !text) { return c; }
    var act = owners.activity && regex(owners.activity, 'owners.activity').exec(text);
    if (act && act.groups && act.groups.id) {
      var a = c.activities.filter(function (x) { return x.id === act.groups.id; })[0];
      if (!a) {
        a = { id: act.groups.id, kind: act.groups.kind || '', records: [] };
        c.activities.push(a);
      }
      return a;
    }
    var svc = owners.service && regex(owners.service, 'owners.service').exec(text);
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

  /** `records`, `activities` or `services`: one table, or a list of tables (`[]` if absent). */
  function tablesOf(spec) {
    if (spec === undefined) { return []; }
    return Array.isArray(spec) ? spec : [spec];
  }

  /**
   * Each row of each table of `spec` (the adapter's `records`, `activities` or `services`):
   * `fn(cell, rec, at, where)` with `cell(key)` reading the row's value `key` (its error
   * naming the row), `rec` the table's part of the adapter, `at` its name in errors
   * (`records[1]`) and `where` the row as errors name it.
   * Placeholder and empty rows are skipped; errors are collected by `soft`.
   */
  function eachRow(doc, spec, name, soft, fn) {
    var tables = tablesOf(spec);
    tables.forEach(function (rec, t) {
      var at = Array.isArray(spec) ? name + '[' + t + ']' : name;
      soft(function () {
        var list = find(doc, rec.list, at + '.list');
        if (!list) {
          // A table a tab renders only when it is opened: no rows until then.
          if (typeof rec.list === 'object' && rec.list.optional) { return; }
          throw new AdapterError(at + '.list', '选择器 ' + describe(rec.list) + ' 在页面上找不到任何元素');
        }
        var columns = columnsOf(list, rec, at);
        var rows = findAll(list, rec.rows || ':scope > *', at + '.rows');
        var own = rec.placeholder ? regex(rec.placeholder, at + '.placeholder') : null;
        rows.forEach(function (row, i) {
          // An empty row, or one such as 「暂无数据」 in an empty table, is no record.
          var text = collapse(row.textContent);
          if (text === '' || PLACEHOLDER.test(text) || (own && own.test(text))) { return; }
          // Each field of the row on its own: an error names the row it is in.
          var where = '（' + (tables.length > 1 ? '第 ' + (t + 1) + ' 个' : '') + TABLE_NAMES[name] + '第 ' + (i + 1) + ' 行「' + text.slice(0, 30) + '」）';
          var cell = function (key) {
            return soft(function () {
              try {
                return read(row, rec[key], at + '.' + key, columns);
              } catch (e) {
                if (e instanceof AdapterError) { e.message += where; }
                throw e;
              }
            });
          };
          fn(cell, rec, at, where);
        });
      });
    });
  }

  var TABLE_NAMES = { records: '记录列表', activities: '执法活动列表', services: '送达列表' };
  var SERVICE_METHODS = ['direct', 'postal', 'left', 'entrusted', 'public-notice'];

  /** A value read as yes: 是, 有, true, 1 (after the value's `map`), or a constant `true`. */
  function yes(v) {
    return v === true || (typeof v === 'string' && /^(是|有|true|1)$/i.test(v));
  }

  /**
   * The signatures of a record from the items its `signatures` value lists: `角色`,
   * `角色：姓名`, each with `（拒签）` when the person refused and with its own date when the
   * page shows one beside the signer (`当事人：王五 2026-03-04`, `（2026年3月4日）`);
   * `signed_at` is the date of the others, and `signed_every_page` holds for each of them.
   */
  function signaturesOf(items, map, date, everyPage) {
    return (Array.isArray(items) ? items : [items]).map(function (item) {
      var text = String(item).trim();
      var refused = /[（(](拒签|拒绝签名)[)）]$/.test(text);
      text = text.replace(/\s*[（(](拒签|拒绝签名)[)）]$/, '');
      var own = /\s*[（(]?\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:[\sT]*\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?)?)\s*[)）]?$/.exec(text);
      if (own) { text = text.slice(0, own.index); }
      var m = /^(.+?)(?:\s*[:：]\s*(.*))?$/.exec(text) || [text, text];
      var role = m[1].trim();
      if (map && Object.prototype.hasOwnProperty.call(map, role)) { role = map[role]; }
      var sig = { role: role };
      if (m[2] && m[2].trim()) { sig.name = m[2].trim(); }
      if (refused) { sig.refused = true; }
      if (everyPage) { sig.every_page = true; }
      var at = own ? normalizeTime(own[1]) : date;
      if (at) { sig.date = at; }
      return sig;
    });
  }

  /**
   * The case as the page shows it, or null while the page shows no case yet. `errs`: every
   * adapter error is collected there and reading goes on, so the options page's 读取测试 can
   * show each field that fails, not only the first (the caller decides what the first means).
   */
  function readCase(adapter, settings, errs) {
    var doc = document;
    function soft(f) {
      try {
        return f();
      } catch (e) {
        if (e instanceof AdapterError) {
          errs.push(e);
          return undefined;
        }
        throw e;
      }
    }
    var id = soft(function () { return read(doc, adapter.case_id, 'case_id'); });
    if (!id && errs.length === 0) { return null; }
    var c = { id: id || '', procedure: soft(function () { return read(doc, adapter.procedure, 'procedure'); }) || 'ordinary', records: [], activities: [], services: [] };
    var agency = soft(function () { return read(doc, adapter.agency, 'agency'); }) || settings.agency;
    if (agency) { c.agency = agency; }
    var department = soft(function () { return read(doc, adapter.department, 'department'); });
    if (department) { c.department = department; }
    if (adapter.facts) {
      c.facts = {};
      Object.keys(adapter.facts).forEach(function (k) {
        var spec = Object.assign({ type: 'time', optional: true }, typeof adapter.facts[k] === 'string' ? { selector: adapter.facts[k] } : adapter.facts[k]);
        var t = soft(function () { return read(doc, spec, 'facts'); });
        if (t) { c.facts[k] = t; }
      });
    }
    var owners = adapter.owners;
    if (owners && owners.list) {
      soft(function () {
        findAll(doc, owners.list, 'owners.list').forEach(function (o) { classifyOwner(owners, (o.textContent || '').trim(), c); });
      });
    }
    // Activities and services with their own details (times, place; method, time), each a
    // table (or list) of its own; the records below find them by id.
    eachRow(doc, adapter.activities, 'activities', soft, function (cell) {
      var id = cell('id');
      if (!id) { return; }
      var a = c.activities.filter(function (x) { return x.id === id; })[0];
      if (!a) {
        a = { id: id, kind: '', records: [] };
        c.activities.push(a);
      }
      var kind = cell('kind');
      if (kind) { a.kind = kind; }
      ['start', 'end', 'place'].forEach(function (k) {
        var v = cell(k);
        if (v) { a[k] = v; }
      });
    });
    eachRow(doc, adapter.services, 'services', soft, function (cell, rec, at, where) {
      var id = cell('id');
      if (!id) { return; }
      var sv = c.services.filter(function (x) { return x.id === id; })[0];
      if (!sv) {
        sv = { id: id, document: '', method: (owners && owners.service_method) || 'direct', records: [] };
        c.services.push(sv);
      }
      var document_ = cell('document');
      if (document_) { sv.document = document_; }
      var method = cell('method');
      if (method) {
        soft(function () {
          // The case contract knows five methods: what the page shows is translated by `map`.
          if (SERVICE_METHODS.indexOf(method) < 0) {
            throw new AdapterError(at + '.method', '读到的送达方式「' + method + '」不是 ' + SERVICE_METHODS.join('、') +
              ' 之一（用 map 把平台的写法译为这些值；' + describe(rec.method) + '）' + where);
          }
          sv.method = method;
        });
      }
      var served = cell('at');
      if (served) { sv.at = served; }
    });
    // One records table, or several with columns of their own (`records` as a list).
    var n = 0;
    eachRow(doc, adapter.records, 'records', soft, function (cell, rec) {
      n += 1;
      var r = { id: cell('id') || ('P' + n), kind: cell('kind') || '' };
      var made = cell('made_at');
      if (made) { r.made_at = made; }
      var el = cell('elements');
      if (el && el.length) { r.elements = el; }
      var pages = cell('pages');
      if (pages) { r.pages = typeof pages === 'number' ? pages : parseInt(pages, 10) || undefined; }
      var signers = rec.signatures ? cell('signatures') : undefined;
      if (signers && signers.length) {
        r.signatures = signaturesOf(signers, typeof rec.signatures === 'object' ? rec.signatures.map : null,
          rec.signed_at ? cell('signed_at') : undefined, rec.signed_every_page ? yes(cell('signed_every_page')) : false);
      }
      var media = rec.media ? cell('media') : undefined;
      if (media && media.length) {
        // Times shown in the row (a platform's audio-video list: one file a row, when it was
        // recorded and when it was stored) hold for each file of the row.
        var times = {};
        ['recorded_from', 'recorded_to', 'stored_at'].forEach(function (k) {
          var t = rec['media_' + k] ? cell('media_' + k) : undefined;
          if (t) { times[k] = t; }
        });
        r.media = (Array.isArray(media) ? media : [media]).map(function (name) { return Object.assign({ name: name }, times); });
      }
      var owner = classifyOwner(owners, rec.owner ? cell('owner') : '', c);
      owner.records.push(r);
    });
    return c;
  }

  /** The selector of the adapter's submit targets (several, comma-separated, are all guarded). */
  function submitSelector(adapter) {
    return adapter.submit ? selectorOf(adapter.submit) || null : null;
  }

  function submitTargets(adapter) {
    var sel = submitSelector(adapter);
    if (!sel) { return []; }
    try { return Array.prototype.slice.call(document.querySelectorAll(sel)); } catch (e) { return []; }
  }

  /** What the adapter names that the page lacks but the case can be read without. */
  function missingTargets(adapter) {
    var out = [];
    if (adapter.submit) {
      if (findAll(document, adapter.submit, 'submit').length === 0) {
        out.push('「' + FIELD_NAMES.submit + '」选择器 ' + describe(adapter.submit) + ' 在页面上找不到任何元素，提交不受检查');
      }
    }
    (adapter.files || []).forEach(function (f, i) {
      if (findAll(document, { selector: f.input }, 'files').length === 0) {
        out.push('「' + FIELD_NAMES.files + '」files[' + i + '].input 选择器 ' + f.input + ' 在页面上找不到任何元素，所选视频不计算哈希');
      }
    });
    return out;
  }

  // ---- what the officer sees ----

  var host = null;
  var statusBox = null;
  var warnBox = null;
  var frame = null;
  // The host floats at the bottom right when the mount point never appeared.
  var floating = false;

  function styleOf(el, css) {
    // CSSOM, not a style attribute or <style>: allowed under a page CSP without 'unsafe-inline'.
    Object.keys(css).forEach(function (k) { el.style[k] = css[k]; });
    return el;
  }

  function buildHost() {
    host = document.createElement('div');
    host.id = 'law-record-checklist-extension';
    var root = host.attachShadow({ mode: 'open' });
    statusBox = styleOf(document.createElement('div'), {
      font: '12px/1.5 sans-serif', color: '#475569', padding: '4px 0',
    });
    statusBox.className = 'status';
    warnBox = styleOf(document.createElement('div'), {
      font: '12px/1.5 sans-serif', color: '#78350f', background: '#fffbeb', border: '1px solid #fcd34d',
      padding: '6px 10px', margin: '4px 0', display: 'none',
    });
    warnBox.className = 'warn';
    frame = document.createElement('iframe');
    frame.title = '行政执法全过程记录清单';
    styleOf(frame, { width: '100%', height: '480px', border: '0', display: 'block', colorScheme: 'normal' });
    root.appendChild(statusBox);
    root.appendChild(warnBox);
    root.appendChild(frame);
  }

  function place(target, spec) {
    floating = false;
    if (spec.position === 'before') { target.parentNode.insertBefore(host, target); }
    else if (spec.position === 'after') { target.parentNode.insertBefore(host, target.nextSibling); }
    else { target.appendChild(host); }
  }

  function float() {
    // Nowhere to put it: a floating panel, so the message about the adapter is still seen.
    floating = true;
    styleOf(host, { position: 'fixed', right: '12px', bottom: '12px', width: '360px', zIndex: '2147483646',
      background: '#fff', boxShadow: '0 2px 12px rgba(0,0,0,.25)', padding: '8px' });
    (document.body || document.documentElement).appendChild(host);
  }

  function mirror(kind) {
    host.setAttribute('data-state', kind);
  }

  function showStatus(text) {
    statusBox.textContent = text;
    statusBox.removeAttribute('role');
    statusBox.className = 'status';
    styleOf(statusBox, { color: '#475569', background: 'transparent', border: '0', padding: '4px 0' });
    mirror('ok');
  }

  function showWarnings(list) {
    warnBox.textContent = list.length ? '办案助手提示：适配器「' + (adapterRef && adapterRef.name || '未命名') + '」的' + list.join('；') + '。请管理员检查页面适配器配置。' : '';
    warnBox.style.display = list.length ? 'block' : 'none';
    if (list.length) { warnBox.setAttribute('role', 'alert'); } else { warnBox.removeAttribute('role'); }
  }

  function errorText(adapter, err) {
    // records[1].kind names the second table's field: its Chinese name is that of records.kind.
    var field = err && err.field ? (FIELD_NAMES[err.field.replace(/^(records|activities|services)\[\d+\]/, '$1')] || err.field) : '';
    return err instanceof AdapterError
      ? '办案助手无法读取本页：适配器「' + (adapter ? adapter.name || '未命名' : '') + '」的「' + field + '」（' + err.field + '）' +
        err.message + '。请管理员检查页面适配器配置。提交不受检查，平台的其他功能不受影响。'
      : '办案助手出错：' + String(err && err.message || err) + '。平台的其他功能不受影响。';
  }

  function showError(adapter, err) {
    var text = errorText(adapter, err);
    // A mount point the page lacks stops reading before the case: 读取测试 shows that too.
    if (err instanceof AdapterError && err.field === 'mount') { report(null, [err]); }
    statusBox.textContent = text;
    // The widget cannot decide: the agency's `unchecked` policy applies to a submit now.
    if (early) {
      early.rearm();
      early.fail(text);
    }
    statusBox.setAttribute('role', 'alert');
    statusBox.className = 'status error';
    styleOf(statusBox, { color: '#991b1b', background: '#fef2f2', border: '1px solid #fca5a5', padding: '8px 12px' });
    if (frame) { frame.style.display = 'none'; }
    mirror('error');
  }

  // ---- the iframe: a private MessageChannel, origin-checked ----

  var port = null;
  var frameReady = false;
  var broken = true;
  var lastSent = '';
  // A submit held for the widget: `{form, submitter, target}`, the early guard's shape.
  var held = null;
  var ackTimer = 0;
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
    if (!frame || !frame.contentWindow) { return; }
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
      clearTimeout(ackTimer);
      release();
    } else if (msg.type === 'held') {
      clearTimeout(ackTimer);
      // The widget's dialog is centred in the frame, which can be taller than the window.
      frame.scrollIntoView({ block: 'center' });
    } else if (msg.type === 'blocked') {
      clearTimeout(ackTimer);
      held = null;
      host.setAttribute('data-blocked', String(Date.now()));
    } else if (msg.type === 'error') {
      broken = true;
      showError(null, new Error(String(msg.message)));
    }
  }

  // ---- placing the widget, and noticing when the page takes it away ----

  var settingsRef = null;
  var sourceName = '';
  var lastUrl = '';
  var graceUntil = 0;
  var mountDeadline = 0;
  var mountTimer = 0;
  var remounts = [];
  // Set when the page kept removing the widget: it stays a floating panel with the error.
  var gaveUp = false;

  /** Whether the page took the widget away (its host, or the frame inside it). */
  function gone() {
    return !!host && (!host.isConnected || !frame || !frame.isConnected);
  }

  /** Removes the widget (if any) and forgets its connection. */
  function dropHost() {
    if (port) { port.close(); }
    port = null;
    frameReady = false;
    lastSent = '';
    broken = true;
    clearTimeout(ackTimer);
    clearTimeout(mountTimer);
    if (host && host.parentNode) { host.parentNode.removeChild(host); }
    host = null;
    frame = null;
    statusBox = null;
    warnBox = null;
    floating = false;
  }

  /**
   * Puts the widget at the adapter's mount point. A mount point the page renders late is waited
   * for until `mountDeadline` (submits are held by the early guard meanwhile); then the panel
   * floats at the bottom right with the adapter's error, and the `unchecked` policy applies.
   */
  function mountWidget() {
    var spec = adapterRef.mount || {};
    var target;
    try {
      target = find(document, spec, 'mount');
    } catch (e) {
      if (!host) { buildHost(); float(); }
      broken = true;
      showError(adapterRef, e);
      return;
    }
    if (!target) {
      if (Date.now() < mountDeadline) {
        clearTimeout(mountTimer);
        mountTimer = setTimeout(check, mountDeadline - Date.now() + 10);
        return;
      }
      if (!host) { buildHost(); float(); }
      broken = true;
      showError(adapterRef, new AdapterError('mount', '选择器 ' + describe(spec) + ' 在页面上找不到任何元素（已等待 ' + MOUNT_WAIT_MS / 1000 + ' 秒）'));
      return;
    }
    if (host) { dropHost(); }
    buildHost();
    place(target, spec);
    showStatus('办案助手 · 正在加载…');
    var f = frame;
    f.addEventListener('load', connect, { once: true });
    // Registered before the frame loads, so the service worker has it when the frame asks.
    // Kept per frame of the tab (this script may run in a platform iframe, beside another in
    // the top page): the worker answers with this script's frame id, which the widget frame
    // is given in its address to ask for this secret and no other.
    secret = newSecret();
    chrome.runtime.sendMessage({ type: 'lrc-frame-secret', secret: secret }, function (reply) {
      // Read so that a closed worker is not reported as an unchecked error; the frame then
      // finds no secret and the widget does not connect (the early guard's policy applies).
      var failed = chrome.runtime.lastError;
      // The widget was dropped meanwhile (the page removed it, or the route changed).
      if (f !== frame) { return failed; }
      f.src = FRAME_URL + (!failed && reply && typeof reply.frame === 'number' ? '#f=' + reply.frame : '');
      return failed;
    });
    schedule();
  }

  /**
   * The widget is gone (removed by the page, or not answering): hold submits again, put it
   * back, and hand over a submit it was deciding on (`h`) to the early guard.
   */
  function lost(h) {
    dropHost();
    if (early) {
      early.rearm(h || null, '记录清单被平台页面移除');
    } else if (h) {
      reissue(h);
    }
    var now = Date.now();
    remounts = remounts.filter(function (t) { return now - t < REMOUNT_WINDOW_MS; });
    remounts.push(now);
    if (remounts.length > MAX_REMOUNTS) {
      gaveUp = true;
      buildHost();
      float();
      showError(adapterRef, new Error('平台页面反复移除记录清单（' + REMOUNT_WINDOW_MS / 1000 + ' 秒内 ' + remounts.length + ' 次），已停止重新显示'));
      return;
    }
    mountDeadline = now + MOUNT_WAIT_MS;
    graceUntil = now + GRACE_MS;
    mountWidget();
  }

  /** Chooses the adapter for the page's address, again after a single-page app navigated. */
  function choose() {
    lastUrl = location.href;
    var next = pickAdapter(settingsRef.adapters || [], lastUrl);
    if (next === adapterRef) { return; }
    var h = held;
    held = null;
    dropHost();
    adapterRef = next;
    remounts = [];
    gaveUp = false;
    if (!next) {
      // Nothing to check on this page: what was held goes on.
      if (early) { early.ready(); } else if (h) { reissue(h); }
      // And the options page's 读取测试 no longer offers what this frame read before.
      if (lastReport !== '') {
        lastReport = '';
        try {
          chrome.runtime.sendMessage({ type: 'lrc-reading', reading: null }, function () { return chrome.runtime.lastError; });
        } catch (e) {
          // The extension was reloaded under this page: nothing to report to.
        }
      }
      return;
    }
    if (early) {
      early.configure(settingsRef.agencyConfig);
      early.rearm(h);
    }
    var now = Date.now();
    mountDeadline = now + MOUNT_WAIT_MS;
    graceUntil = now + GRACE_MS;
    mountWidget();
  }

  /** On every change of the page: a new address, a widget taken away, a mount point come. */
  function check() {
    if (location.href !== lastUrl) {
      choose();
      return;
    }
    if (!adapterRef || gaveUp) { return; }
    if (gone()) {
      lost(null);
    } else if (!host || floating) {
      // Waiting for a late mount point, or floating with its error: is it there now?
      var target = null;
      try { target = find(document, adapterRef.mount || {}, 'mount'); } catch (e) { target = null; }
      if (target || !host) { mountWidget(); }
    }
  }

  // ---- re-reading the page ----

  var timer = null;
  var graceTimer = null;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(evaluate, DEBOUNCE_MS);
  }

  // The last reading, as the options page's 读取测试 shows it to an administrator writing an
  // adapter: sent to the extension (never to the page) when it changed.
  var lastReport = '';

  function report(c, errs, warnings) {
    var reading = {
      url: location.href,
      title: document.title,
      adapter: adapterRef ? adapterRef.name || '未命名' : '',
      source: sourceName,
      at: new Date().toISOString(),
      case: c,
      errors: errs.map(function (e) {
        var field = e.field.replace(/^(records|activities|services)\[\d+\]/, '$1');
        return { field: e.field, name: FIELD_NAMES[field] || e.field, message: e.message, syntax: e.syntax };
      }),
      warnings: warnings || [],
    };
    var json = JSON.stringify([reading.url, reading.adapter, c, reading.errors, reading.warnings]);
    if (json === lastReport) { return; }
    lastReport = json;
    try {
      chrome.runtime.sendMessage({ type: 'lrc-reading', reading: reading }, function () { return chrome.runtime.lastError; });
    } catch (e) {
      // The extension was reloaded under this page: nothing to report to.
    }
  }

  function evaluate() {
    if (!adapterRef || !host || floating || !frame) { return; }
    var c;
    var problems = [];
    var errs = [];
    try {
      c = readCase(adapterRef, settingsRef, errs);
      if (errs.length === 0 && Date.now() >= graceUntil) {
        try {
          problems = missingTargets(adapterRef);
        } catch (e) {
          if (!(e instanceof AdapterError)) { throw e; }
          errs.push(e);
        }
      }
      report(c, errs, problems);
      // The first error is the one the officer is told of (the options page shows them all).
      if (errs.length) { throw errs[0]; }
      if (Date.now() < graceUntil) {
        // Targets the page lacks are named once it has had time to render them.
        clearTimeout(graceTimer);
        graceTimer = setTimeout(evaluate, graceUntil - Date.now() + 10);
      }
    } catch (e) {
      lastSent = '';
      send({ type: 'case', case: null });
      if (e instanceof AdapterError && !e.syntax && Date.now() < graceUntil) {
        // The page may still be loading its case: look again when the grace is over.
        showStatus('办案助手 · 正在等待页面加载案件…');
        clearTimeout(timer);
        timer = setTimeout(evaluate, graceUntil - Date.now() + 10);
        return;
      }
      broken = true;
      showError(adapterRef, e);
      return;
    }
    broken = false;
    frame.style.display = 'block';
    showWarnings(problems);
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

  function reissue(h) {
    bypass = true;
    try {
      if (h.form) {
        if (h.form.requestSubmit) {
          if (h.submitter && h.submitter.form === h.form) { h.form.requestSubmit(h.submitter); } else { h.form.requestSubmit(); }
        } else {
          h.form.submit();
        }
      } else if (h.target) {
        h.target.click();
      }
    } finally {
      bypass = false;
    }
  }

  function release() {
    var h = held;
    held = null;
    if (h) { reissue(h); }
  }

  /** The widget did not answer an attempt in time. */
  function noAnswer() {
    var h = held;
    held = null;
    if (!h) { return; }
    if (host && !gone()) {
      if (early) {
        early.rearm(h);
        early.fail('记录清单没有响应');
      } else {
        reissue(h);
      }
    } else {
      lost(h);
    }
  }

  function onAttempt(ev, isForm) {
    if (bypass || !adapterRef) { return; }
    var hit = null;
    submitTargets(adapterRef).some(function (t) {
      if (t.tagName === 'FORM') {
        if (isForm && ev.target === t) { hit = { form: t, submitter: ev.submitter || null, target: t }; }
      } else if (isForm) {
        // A submit button named by the adapter, pressed by keyboard (Enter in a field).
        if (ev.submitter && t.contains(ev.submitter)) { hit = { form: ev.target, submitter: ev.submitter, target: t }; }
      } else if (t.contains(ev.target)) {
        hit = { form: null, submitter: null, target: t };
      }
      return hit !== null;
    });
    if (!hit) { return; }
    // A `submit` event a page script dispatched submits nothing: not the officer's.
    if (isForm && !ev.isTrusted) { return; }
    // The page took the widget away: it is put back, and the early guard holds this submit.
    if (gone()) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      lost(hit);
      return;
    }
    // The adapter cannot read the page, or the widget has not loaded: the early guard has
    // applied the agency's `unchecked` policy to this submit already (it listens first).
    if (broken || !frameReady || !lastSent) { return; }
    ev.preventDefault();
    ev.stopImmediatePropagation();
    held = hit;
    send({ type: 'attempt' });
    clearTimeout(ackTimer);
    ackTimer = setTimeout(noAnswer, ACK_MS);
  }

  // ---- files: hashed in the extension, never uploaded ----

  function onFileChange(ev) {
    if (!adapterRef || !ev.target || !ev.target.files || ev.target.files.length === 0) { return; }
    (adapterRef.files || []).forEach(function (f, i) {
      var hit = false;
      try { hit = ev.target.matches(f.input); } catch (e) { hit = false; }
      if (!hit) { return; }
      // Files a page script put in the input are not footage the officer picked.
      if (!ev.isTrusted) { return; }
      var item;
      try {
        item = fileItem(f, ev.target, 'files[' + i + ']');
      } catch (err) {
        if (!(err instanceof AdapterError)) { throw err; }
        showWarnings(['「' + FIELD_NAMES.files + '」（' + err.field + '）' + err.message + '，所选文件没有附加到清单']);
        return;
      }
      // File objects are cloned to the extension page on this machine; nothing is uploaded.
      send({ type: 'files', item: item, files: Array.prototype.slice.call(ev.target.files) });
    });
  }

  /**
   * The checklist item a file input's files go to: `item` as written, or `rule@target` with the
   * target (an activity's or a record's number) read from the page when the files are picked —
   * within the input's own `row` (e.g. the table row it sits in) when one is given, so that one
   * adapter serves every case and every row of a platform's upload column.
   */
  function fileItem(f, input, field) {
    if (f.item) { return f.item; }
    var root = document;
    if (f.row) {
      try {
        root = input.closest(f.row);
      } catch (e) {
        throw new AdapterError(field + '.row', '选择器 ' + f.row + ' 写法有误（' + e.message + '）', true);
      }
      if (!root) { throw new AdapterError(field + '.row', '选择器 ' + f.row + ' 不是所选文件输入框的上级元素'); }
    }
    var target = read(root, f.target, field + '.target');
    if (typeof target !== 'string' || target === '') {
      throw new AdapterError(field + '.target', '没有读到清单事项的对象编号（' + describe(f.target) + '）');
    }
    return f.rule + '@' + target;
  }

  // ---- start ----

  function start(reply) {
    settingsRef = reply && reply.settings ? reply.settings : { adapters: [], hosts: [] };
    sourceName = SOURCE_NAMES[reply && reply.source] || (reply && reply.source) || '';
    if (!hostAllowed(location.href, settingsRef.hosts)) {
      // Not a platform page: nothing is guarded here, and what the early guard held goes on.
      adapterKnown = true;
      if (early) { early.ready(); }
      return;
    }
    // From now on only the adapter's submit targets are held, not every form of the page.
    adapterKnown = true;
    injectGlobals(settingsRef.adapters);
    choose();
    document.addEventListener('submit', function (ev) { onAttempt(ev, true); }, true);
    document.addEventListener('click', function (ev) { onAttempt(ev, false); }, true);
    document.addEventListener('change', onFileChange, true);
    new MutationObserver(function (records) {
      // Our own panel's changes are not the page's.
      if (host && records.every(function (r) { return host.contains(r.target) || r.target === host; })) { return; }
      check();
      schedule();
    }).observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
    // Typed values of form fields change no DOM: listen for them too.
    document.addEventListener('input', schedule, true);
    document.addEventListener('change', schedule, true);
    // Single-page apps: a new route may need another adapter (or none).
    window.addEventListener('hashchange', check);
    window.addEventListener('popstate', check);
    // history.pushState fires no event here: a route change without a DOM change is seen here.
    setInterval(function () { if (location.href !== lastUrl) { check(); } }, 1000);
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
