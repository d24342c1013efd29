// The checklist widget added to the platform the way an integrator would: a module import,
// one element in the side panel, the case handed over, the platform's submit form guarded.
import '../dist/law-record-checklist.js';

// 本局配置: this agency lets an overdue AV storage through with a reason (warning, not block).
var AGENCY_CONFIG = {
  rules: { '41-av-stored-24h': { severity: 'warning', reason: '本局规定：音像记录存储超期的，说明理由后可提交' } }
};

var params = new URLSearchParams(location.search);
var widget = document.createElement('law-record-checklist');
widget.setAttribute('agency', 'changsha-zfj');
widget.setAttribute('officer', '张三');
// The sample cases are dated March 2026; the demo clock is fixed so they read as intended.
widget.setAttribute('now', params.get('now') || '2026-03-25T10:00');
// Body-cam files are fingerprinted on this PC (SHA-256; SM3 too with ?sm3=1); the platform's own
// file input for A1's footage is observed as well.
widget.hash = {
  sm3: params.get('sm3') === '1',
  observe: [{ input: '#av-file', item: '13-inspection-av@A1' }],
};
document.getElementById('side-panel').appendChild(widget);

widget.ready.then(function (w) {
  w.setConfig(AGENCY_CONFIG);
  if (window.platformCase) {
    w.setCase(window.platformCase);
  }
});
document.addEventListener('platform:case-changed', function (e) {
  widget.case = e.detail;
});
widget.guardSubmit(document.getElementById('case-form'));
