import { liveSocket, languageSwitch, setConnection, money, int, pct, clock, sparkline, withToken, t } from './lp.js';

const SPARK_POINTS = 60;
const history = new Map(); // room -> {lastGmv, lastSecond, values[]} (capped)
const alerting = new Map(); // room -> Set of firing rule ids
let latest = null;
let state = 'connecting';

const $ = (id) => document.getElementById(id);

function track(board) {
  const seen = new Set();
  for (const r of board.rooms) {
    seen.add(r.room);
    const h = history.get(r.room) ?? { lastGmv: null, lastSecond: null, values: [] };
    if (h.lastGmv !== null && board.second > h.lastSecond) {
      h.values.push(Math.max(0, Number(r.gmv) - h.lastGmv));
      if (h.values.length > SPARK_POINTS) h.values.shift();
    }
    h.lastGmv = Number(r.gmv);
    h.lastSecond = board.second;
    history.set(r.room, h);
  }
  for (const room of history.keys()) if (!seen.has(room)) history.delete(room); // cap memory
}

function render() {
  if (!latest) return;
  const b = latest;
  $('asof').textContent = clock(b.second);
  $('t-gmv').textContent = money(b.totals.gmv);
  $('t-orders').textContent = int(b.totals.orders);
  $('t-online').textContent = int(b.totals.online);
  $('t-rooms').textContent = int(b.totals.rooms);

  const rows = b.rooms.map((r, i) => {
    const link = withToken(`room.html?room=${encodeURIComponent(r.room)}`);
    const spark = sparkline(history.get(r.room)?.values ?? []);
    const status = (r.status === 'ended' ? ` <span class="tag">${t('ended')}</span>` : '')
      + (alerting.get(r.room)?.size ? ` <span class="tag alerting" title="${t('alerts')}">⚠ ${alerting.get(r.room).size}</span>` : '');
    return `<tr data-room="${escape(r.room)}">
      <td>${i + 1}</td>
      <td><a href="${link}">${escape(r.title || r.room)}</a><div class="sub">${escape(r.room)}${status}</div></td>
      <td>${escape(r.anchor ?? '')}</td><td>${escape(r.platform ?? '')}</td>
      <td class="num gmv">${money(r.gmv)}</td><td class="num">${int(r.orders)}</td>
      <td class="num online">${int(r.online)}</td><td class="num">${int(r.uv)}</td>
      <td class="num">${pct(r.conversion)}</td><td class="num">${money(r.perBuyer ?? 0)}</td>
      <td class="num">${pct(r.refundRate ?? 0)}</td><td class="trend">${spark}</td></tr>`;
  });
  $('rooms').tBodies[0].innerHTML = rows.join('') || `<tr><td colspan="12" class="empty">${t('noData')}</td></tr>`;

  $('products').tBodies[0].innerHTML = b.products.map((p, i) => `<tr>
      <td>${i + 1}</td><td>${escape(p.title || p.sku)}<div class="sub">${escape(p.sku)}</div></td>
      <td>${escape(p.room)}</td><td class="num">${money(p.gmv)}</td><td class="num">${int(p.units)}</td></tr>`).join('');
  // Clicking anywhere on a room's row opens its dashboard.
  for (const tr of $('rooms').tBodies[0].rows) {
    if (tr.dataset.room) tr.onclick = () => { location.href = withToken(`room.html?room=${encodeURIComponent(tr.dataset.room)}`); };
  }
}

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

languageSwitch($('lang'), () => { render(); setConnection($('conn'), state); });
liveSocket('/live', (msg) => {
  if (msg.type === 'alert') {
    const set = alerting.get(msg.room) ?? new Set();
    if (msg.state === 'firing') set.add(msg.rule); else set.delete(msg.rule);
    if (set.size) alerting.set(msg.room, set); else alerting.delete(msg.room);
    requestAnimationFrame(render);
    return;
  }
  if (msg.type !== 'leaderboard') return;
  track(msg);
  latest = msg;
  requestAnimationFrame(render);
}, (s) => { state = s; setConnection($('conn'), s); });
