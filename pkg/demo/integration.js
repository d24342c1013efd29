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
// The sample cases are dated March 2026; the demo clock is fixed so they read as intended.
widget.setAttribute('now', params.get('now') || '2026-03-25T10:00');
// Body-cam files are fingerprinted on this PC (SHA-256; SM3 too with ?sm3=1); the platform's own
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
