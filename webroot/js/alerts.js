// Alerts on the room page (contract §10): the rules of this room, a form to add one, the history,
// and a banner of what is firing now. Rules and history come from the API; live alerts from /live.
import { withToken, t, int, clock } from './lp.js';

const FIGURES = ['online', 'gmv', 'orders', 'buyers', 'uv', 'conversion', 'refundRate', 'clickToBuy', 'perBuyer',
  'avgWatchSeconds', 'now.gmv', 'now.orders', 'now.enters', 'views'];
const OPS = ['below', 'above', 'drop', 'rise', 'stall', 'silent', 'milestone', 'pace'];
const FORMATS = ['json', 'feishu', 'dingtalk', 'wecom', 'slack'];

export function alertPanel(room, $, onHistory) {
  const firing = new Map(); // rule id -> alert message
  let rules = [];

  function text(a) {
    return `${a.figure} ${t('op_' + a.op)} ${fmt(a.threshold)} · ${t('now')} ${fmt(a.value)} · ${t('rule')} ${a.rule}`;
  }
  const fmt = (x) => (Number.isInteger(x) ? int(x) : Number(x).toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));

  function renderBanner() {
    const el = $('alert-banner');
    el.hidden = firing.size === 0;
    el.innerHTML = [...firing.values()].map((a) => `<div class="alert-line">⚠ ${escape(text(a))}</div>`).join('');
  }

  function renderRules() {
    $('rules').innerHTML = rules.map((r) => `<li data-rule="${r.id}"><span>#${r.id} ${escape(r.figure)} ${escape(t('op_' + r.op))}`
      + ` ${fmt(r.value)}${r.seconds ? ` · ${r.seconds}s` : ''}${r.webhook ? ` · ${escape(r.format)}` : ''}`
      + `${r.room ? '' : ` · ${escape(r.prefix ? r.prefix + '*' : t('allRooms'))}`}</span>`
      + `<button type="button" class="del" data-rule="${r.id}">${t('delete')}</button></li>`).join('')
      || `<li class="empty">${t('noRules')}</li>`;
    for (const b of $('rules').querySelectorAll('button.del')) {
      b.onclick = () => fetch(withToken(`/api/alerts/rules/${b.dataset.rule}`), { method: 'DELETE' }).then(loadRules);
    }
  }

  function loadRules() {
    return fetch(withToken(`/api/alerts/rules?room=${encodeURIComponent(room)}`)).then((r) => r.json())
      .then((b) => { rules = b.rules ?? []; renderRules(); });
  }

  function loadHistory() {
    return fetch(withToken(`/api/rooms/${encodeURIComponent(room)}/alerts`)).then((r) => r.json()).then((b) => {
      const list = b.alerts ?? [];
      for (const a of list) {
        if (a.state === 'firing') firing.set(a.rule, { ...a, room }); else firing.delete(a.rule);
      }
      renderBanner();
      renderHistory(list);
      onHistory(list);
    });
  }

  let history = [];
  function renderHistory(list) {
    history = list.slice(-50);
    $('alert-history').innerHTML = history.slice().reverse().map((a) => `<li class="${a.state}">${clock(a.second)} `
      + `${t(a.state)} · ${escape(text(a))}</li>`).join('') || `<li class="empty">${t('noAlerts')}</li>`;
  }

  function fill(select, values, label) {
    select.innerHTML = values.map((v) => `<option value="${v}">${escape(label(v))}</option>`).join('');
  }
  fill($('rule-figure'), FIGURES, (v) => v);
  fill($('rule-op'), OPS, (v) => t('op_' + v));
  fill($('rule-format'), FORMATS, (v) => v);

  $('rule-form').onsubmit = (e) => {
    e.preventDefault();
    const body = { room, figure: $('rule-figure').value, op: $('rule-op').value };
    const num = (id) => ($(id).value === '' ? undefined : Number($(id).value));
    if (num('rule-value') !== undefined) body.value = num('rule-value');
    if (num('rule-seconds') !== undefined) body.seconds = num('rule-seconds');
    if (num('rule-cooldown') !== undefined) body.cooldownSeconds = num('rule-cooldown');
    if ($('rule-webhook').value) { body.webhook = $('rule-webhook').value; body.format = $('rule-format').value; }
    if ($('rule-anchor').checked) body.anchor = true;
    fetch(withToken('/api/alerts/rules'), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body) })
      .then((r) => r.json().then((b) => ({ ok: r.ok, b })))
      .then(({ ok, b }) => {
        $('rule-error').textContent = ok ? '' : (b.error ?? 'error');
        if (ok) loadRules();
      });
  };

  loadRules();
  loadHistory();
  return {
    onAlert(a) {
      if (a.room !== room) return;
      if (a.state === 'firing') firing.set(a.rule, a); else firing.delete(a.rule);
      renderBanner();
      renderHistory([...history, a]);
      onHistory(history);
    },
    rerender() { renderRules(); renderBanner(); renderHistory(history); },
  };
}

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
