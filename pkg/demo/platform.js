// The mock platform's own script. It knows nothing of the checklist widget: it loads a case,
// shows its records, lets the officer add records, and submits its form. Like many real
// platforms it keeps the case in a global and announces changes with a DOM event.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var name = params.get('case') || 'complete';
  var select = document.getElementById('case-select');
  var uploads = 0;
  select.value = name;
  select.addEventListener('change', function () {
    params.set('case', select.value);
    location.search = params.toString();
  });

  var PROCEDURES = { ordinary: '一般程序', simple: '简易程序', inspection: '行政检查' };

  function owners(c) {
    var list = [{ id: '', label: '案件', records: c.records || (c.records = []) }];
    (c.activities || []).forEach(function (a) {
      list.push({ id: a.id, label: a.kind + ' ' + a.id, records: a.records || (a.records = []) });
    });
    (c.services || []).forEach(function (s) {
      list.push({ id: s.id, label: '送达 ' + s.document + ' ' + s.id, records: s.records || (s.records = []) });
    });
    return list;
  }

  function render() {
    var c = window.platformCase;
    document.getElementById('case-title').textContent = '案件办理：' + c.id;
    document.getElementById('case-id').textContent = c.id;
    document.getElementById('case-procedure').textContent = PROCEDURES[c.procedure] || c.procedure;
    document.getElementById('form-case-id').value = c.id;
    var body = document.getElementById('records-body');
    body.textContent = '';
    var ownerSelect = document.getElementById('upload-owner');
    ownerSelect.textContent = '';
    owners(c).forEach(function (o) {
      var opt = document.createElement('option');
      opt.value = o.id;
      opt.textContent = o.label;
      ownerSelect.appendChild(opt);
      o.records.forEach(function (r) {
        var tr = document.createElement('tr');
        [r.id, r.kind, o.label, (r.made_at || '').replace('T', ' ')].forEach(function (t) {
          var td = document.createElement('td');
          td.textContent = t;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    });
  }

  function announce() {
    document.dispatchEvent(new CustomEvent('platform:case-changed', { detail: JSON.parse(JSON.stringify(window.platformCase)) }));
  }

  document.getElementById('upload-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var c = window.platformCase;
    var ownerId = document.getElementById('upload-owner').value;
    var owner = owners(c).filter(function (o) { return o.id === ownerId; })[0];
    var kind = document.getElementById('upload-kind').value;
    var at = document.getElementById('upload-at').value;
    var file = document.getElementById('upload-file').files[0];
    uploads += 1;
    var record = { id: 'U' + uploads, kind: kind, made_at: at };
    if (kind === '送达回证') {
      record.elements = ['送达文书名称', '送达时间和地点', '送达人', '受送达人或签收人', '签收情况'];
    }
    if (file) {
      record.media = [{ name: file.name, size: file.size, recorded_to: at, stored_at: at }];
    }
    owner.records.push(record);
    render();
    announce();
  });

  document.getElementById('step-tabs').addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (!b) { return; }
    Array.prototype.forEach.call(this.querySelectorAll('button'), function (x) {
      x.setAttribute('aria-selected', String(x === b));
    });
  });

  document.getElementById('case-form').addEventListener('submit', function () {
    document.body.setAttribute('data-host-submitted', '1');
  });

  // The platform's server keeps its cases (SQLite behind `/api/`, see xtask/src/platform_db.rs).
  var caseUrl = '../api/cases/' + encodeURIComponent(name);
  // From the platform's server; the sample file when the page is served without it.
  window.platformReady = fetch(caseUrl)
    .then(function (r) { return r.ok ? r : fetch('cases/' + encodeURIComponent(name) + '.json'); })
    .then(function (r) { return r.json(); })
    .then(function (c) {
      window.platformCase = c;
      render();
      announce();
      return c;
    });
})();
