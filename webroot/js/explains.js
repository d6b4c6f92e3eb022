// Explain windows (讲解) on the room page and the anchor view: the running round as a live scorecard
// (product, timer, its sales, online change) and the past rounds as a table, from
// GET /api/rooms/{room}/explains, read every 2 s.
import { withToken, t, money, int, pct, clock, applyI18n } from './lp.js';

export const timer = (ms) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function watchExplains(room, onData) {
  let last = null;
  const load = () => fetch(withToken(`/api/rooms/${encodeURIComponent(room)}/explains`))
    .then((r) => (r.ok ? r.json() : { explains: [] }))
    .then((b) => { last = b.explains ?? []; onData(last); })
    .catch(() => {});
  load();
  setInterval(load, 2000);
  // The timer runs between reads.
  setInterval(() => { if (last) onData(last); }, 1000);
}

export function renderExplains($, list) {
  const running = list.length && list[list.length - 1].end === null ? list[list.length - 1] : null;
  $('explain-now').hidden = !running;
  if (running) {
    $('explain-sku').textContent = running.sku;
    $('explain-timer').textContent = timer(Date.now() - running.start);
    $('explain-gmv').textContent = money(running.gmv);
    $('explain-units').textContent = int(running.units);
    const change = running.onlineEnd - running.onlineStart;
    $('explain-online').textContent = `${change >= 0 ? '+' : ''}${int(change)}`;
    $('explain-ctb').textContent = pct(running.clickToBuy);
  }
  // The head is written here, in the page's language, for both pages that show the table.
  $('explains').tHead.innerHTML = '<tr>' + [['product'], ['startedAt'], ['duration', 'num'], ['gmv', 'num'],
    ['units', 'num'], ['roomGmv', 'num'], ['clicksHead', 'num'], ['clickToBuy', 'num'], ['online', 'num']]
    .map(([key, cls]) => `<th${cls ? ` class="${cls}"` : ''} data-i18n="${key}">${t(key)}</th>`).join('') + '</tr>';
  applyI18n($('explains').tHead); // the definitions as tooltips, as on every other label
  const past = list.filter((e) => e.end !== null).reverse();
  $('explains').tBodies[0].innerHTML = past.map((e) => `<tr><td>${escape(e.sku)}</td><td>${clock(e.start / 1000)}</td>`
    + `<td class="num">${timer(e.end - e.start)}</td><td class="num">${money(e.gmv)}</td><td class="num">${int(e.units)}</td>`
    + `<td class="num">${money(e.roomGmv)}</td><td class="num">${int(e.clicks)}</td><td class="num">${pct(e.clickToBuy)}</td>`
    + `<td class="num">${int(e.onlineStart)} → ${int(e.onlineEnd)}</td></tr>`).join('')
    || `<tr><td colspan="9" class="empty">${t('noExplains')}</td></tr>`;
}

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
