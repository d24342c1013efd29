// The checklist widget added to the platform the way an integrator would: the early guard in
// <head>, one element in the side panel, this module importing the widget, handing it the case
// and guarding the platform's submit form. The element reads what is set here before it mounts.
import '../dist/law-record-checklist.js';

var params = new URLSearchParams(location.search);
var widget = document.querySelector('law-record-checklist');
widget.setAttribute('officer', params.get('user') || '张三');
// 本局配置 (agency-config.json): this agency lets an overdue AV storage through with a reason
// (warning, not block). Loaded from the platform's own origin; `?config=` picks another file.
widget.setAttribute('config-src', params.get('config') || 'agency-config.json');
// The platform may pin the fingerprint of the config it approved (`?pin=` in the demo).
if (params.get('pin')) {
  widget.setAttribute('config-fingerprint', params.get('pin'));
}
// The platform knows who is the agency's administrator (法制科); the demo says so with `?admin=1`.
if (params.get('admin') === '1') {
  widget.setAttribute('admin', '');
}
// The platform's 法制审核 page shows the checklist read-only (`?review=1` in the demo).
if (params.get('review') === '1') {
  widget.setAttribute('review', '');
}
// The sample cases are dated March 2026; the demo clock is fixed so they read as intended.
widget.setAttribute('now', params.get('now') || '2026-03-25T10:00');
// Body-cam files are hashed on this PC (SHA-256; SM3 too with ?sm3=1); the platform's own
// file input for A1's footage is observed as well.
widget.hash = {
  sm3: params.get('sm3') === '1',
  observe: [{ input: '#av-file', item: '13-inspection-av@A1' }],
};
// The platform's case: now if it already has it (the widget then checks it as it loads), else
// when the platform announces it.
if (window.platformCase) {
  widget.case = window.platformCase;
}
document.addEventListener('platform:case-changed', function (e) {
  widget.case = e.detail;
});
widget.guardSubmit(document.getElementById('case-form'));

// The checklist record (acknowledgments with notes, reasons, media digests, the case log) is
// the platform's to keep with the case: saved through the platform's own API whenever it
// changes and at submit, and handed back when the case is opened, so the next officer, the
// 法制审核 reviewer or the 案卷评查 panel sees on any PC what was done. The widget's local copy
// is a cache for work offline, never the only one. The demo server merges what it is sent with
// what it holds (two officers at once lose nothing) and answers the record it now stores.
var recordUrl = '../api/cases/' + encodeURIComponent(params.get('case') || 'complete') + '/record';
var recordStatus = document.getElementById('record-status');
function say(text, failed) {
  recordStatus.textContent = text;
  recordStatus.className = failed ? 'record-status failed' : 'record-status';
}
function saveRecord(record) {
  var body = JSON.stringify(record);
  return fetch(recordUrl, {
    method: 'PUT',
    body: body,
    headers: { 'Content-Type': 'application/json' },
    // A save at submit outlives the page it leaves (browsers allow 64 KB so).
    keepalive: body.length < 60000,
  }).then(function (r) {
    return r.json().then(function (answer) { return { ok: r.ok, answer: answer }; });
  }).then(function (a) {
    if (!a.ok) {
      say('平台未能保存清单记录：' + a.answer.error, true);
      return;
    }
    say('清单记录已保存到平台：操作日志 ' + a.answer.log.head.count + ' 条');
    // Someone else's work was merged in on the server: the widget takes it too.
    if (a.answer.log.head.hash !== record.log.head.hash) {
      widget.checklistRecord = a.answer;
    }
  }, function () {
    say('平台暂时无法保存清单记录：已保存在本机，联网后会再次保存', true);
  });
}
// Only the record of the platform's own case is stored under it (a script may show another).
function ours(record) {
  return record && window.platformCase && record.case_id === window.platformCase.id;
}
widget.addEventListener('record-change', function (e) {
  if (ours(e.detail)) { saveRecord(e.detail); }
});
widget.addEventListener('submit-allowed', function () {
  var record = widget.checklistRecord;
  if (ours(record)) { saveRecord(record); }
});
fetch(recordUrl).then(function (r) {
  if (r.status === 404) { return null; }
  if (!r.ok) { throw new Error('HTTP ' + r.status); }
  return r.json();
}).then(function (record) {
  if (record) { widget.checklistRecord = record; }
}, function (e) {
  say('平台保存的清单记录无法读取：' + e.message, true);
});
