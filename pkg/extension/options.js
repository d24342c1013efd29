// The options page: shows the settings in effect; saves local settings after checking them.
// When the administrator's policy provides settings, they are shown read-only and nothing
// local can be saved over them.
import { effective, normalize, local, LOCAL_KEY, SOURCE_NAMES } from './settings.js';

const area = document.getElementById('settings');
const message = document.getElementById('message');
const save = document.getElementById('save');
const reset = document.getElementById('reset');

function say(text, ok) {
  message.textContent = text;
  message.className = ok ? 'ok' : 'error';
}

function show() {
  return effective().then(function (s) {
    document.getElementById('source').textContent = '当前生效的设置来自：' + SOURCE_NAMES[s.source] +
      (s.error ? '（有误，扩展暂停工作：' + s.error + '）' : '');
    area.value = JSON.stringify(s.error ? s.raw : s.settings, null, 2);
    const managed = s.source === 'managed';
    document.getElementById('managed-note').hidden = !managed;
    area.readOnly = managed;
    save.disabled = managed;
    reset.disabled = managed;
    document.body.dataset.source = s.source;
  });
}

save.addEventListener('click', function () {
  let parsed;
  try {
    parsed = normalize(JSON.parse(area.value));
  } catch (e) {
    say('未保存：' + e.message, false);
    return;
  }
  effective().then(function (s) {
    if (s.source === 'managed') {
      say('未保存：设置由管理员策略下发。', false);
      return null;
    }
    return local.set({ [LOCAL_KEY]: parsed }).then(function () {
      say('已保存。刷新平台页面后生效。', true);
      return show();
    });
  });
});

reset.addEventListener('click', function () {
  local.remove(LOCAL_KEY).then(function () {
    say('已恢复内置示例。', true);
    return show();
  });
});

show();
