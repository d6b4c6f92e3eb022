// Review and replay (复盘) of a stored session: the session list, the session's final figures, one
// trend chart over the whole session from PostgreSQL (any of GMV/s, orders/s, online, entries/s,
// clicks/s; money on the left axis, counts on the right), explain rounds as bands, marks as pins,
// alerts as lines; replay at 1×-60× with pause and scrub (at second S the page shows the rows stored
// up to S and the row of S itself), and a second session overlaid, aligned by time since its start.
import { withToken, getJson, param, t, money, int, clock, duration, languageSwitch } from './lp.js';
import { renderExplains } from './explains.js';

const room = param('room') ?? '';
const $ = (id) => document.getElementById(id);
const api = (path) => getJson(`/api/rooms/${encodeURIComponent(room)}${path}`);
const METRICS = {
  gmv: { key: 'metricGmv', axis: 0, color: '#ff4d4f' },
  orders: { key: 'metricOrders', axis: 1, color: '#fa8c16' },
  online: { key: 'metricOnline', axis: 1, color: '#1677ff' },
  enters: { key: 'metricEnters', axis: 1, color: '#13c2c2' },
  clicks: { key: 'metricClicks', axis: 1, color: '#722ed1' },
};

let sessions = [];
let main = null; // { info, cols }
let other = null;
let explains = [];
let marks = [];
let alertSeconds = [];
let cursor = 0; // index into main.cols (second = start + cursor)
let playing = null;

$('back').href = withToken(`room.html?room=${encodeURIComponent(room)}`);
$('title').textContent = room;
document.title = `LivePulse · ${room} · ${t('review')}`;
const chart = echarts.init($('chart-review'));
window.addEventListener('resize', () => chart.resize());

/**
 * The session's seconds as dense typed columns, one slot per second from start to end (the API
 * leaves out seconds without any row: those are quiet, online as before). Money in cents, exact.
 */
function columns(info, rows) {
  const start = info.started;
  const end = info.ended ?? Math.max(start, rows.length ? rows[rows.length - 1].second : start);
  const n = end - start + 1;
  const cols = { start, n, gmv: new Float64Array(n), orders: new Float64Array(n), units: new Float64Array(n),
    online: new Float64Array(n), enters: new Float64Array(n), clicks: new Float64Array(n),
    gmvSum: new Float64Array(n), ordersSum: new Float64Array(n), unitsSum: new Float64Array(n), peak: new Float64Array(n) };
  let j = 0;
  let online = rows.length ? rows[0].online : 0;
  for (let i = 0; i < n; i++) {
    const s = start + i;
    while (j < rows.length && rows[j].second < s) j++;
    const r = j < rows.length && rows[j].second === s ? rows[j] : null;
    if (r) {
      cols.gmv[i] = Math.round(Number(r.gmv) * 100);
      cols.orders[i] = r.orders;
      cols.units[i] = r.units;
      cols.enters[i] = r.enters;
      cols.clicks[i] = r.clicks ?? 0;
      online = r.online;
    }
    cols.online[i] = online;
    cols.gmvSum[i] = (i ? cols.gmvSum[i - 1] : 0) + cols.gmv[i];
    cols.ordersSum[i] = (i ? cols.ordersSum[i - 1] : 0) + cols.orders[i];
    cols.unitsSum[i] = (i ? cols.unitsSum[i - 1] : 0) + cols.units[i];
    cols.peak[i] = Math.max(i ? cols.peak[i - 1] : 0, online);
  }
  return cols;
}

async function load(number) {
  const info = sessions.find((s) => s.session === number);
  if (!info || info.started == null) return null;
  const body = await api(`/seconds?session=${number}`);
  return { info, cols: columns(info, body.seconds ?? []) };
}

function renderSessions() {
  const current = main?.info.session;
  $('sessions').tBodies[0].innerHTML = sessions.slice().reverse().map((s) => `<tr data-session="${s.session}"`
    + `${s.session === current ? ' class="current"' : ''}><td><a href="${withToken(`review.html?room=${encodeURIComponent(room)}&session=${s.session}`)}">#${s.session}</a></td>`
    + `<td>${s.started == null ? '–' : `${new Date(s.started * 1000).toLocaleDateString()} ${clock(s.started)}`}</td>`
    + `<td>${s.ended == null ? t('liveNow') : clock(s.ended)}</td>`
    + `<td class="num">${s.durationSeconds == null ? '–' : duration(s.durationSeconds)}</td><td class="num">${money(s.gmv)}</td>`
    + `<td class="num">${int(s.orders)}</td><td class="num">${s.peakOnline == null ? '–' : int(s.peakOnline)}</td>`
    + `<td class="num">${int(s.explains)}</td><td class="num">${int(s.marks)}</td></tr>`).join('')
    || `<tr><td colspan="9" class="empty">${t('noSessions')}</td></tr>`;
  $('compare').innerHTML = `<option value="">${t('none')}</option>` + sessions.filter((s) => s.session !== current
    && s.started != null).map((s) => `<option value="${s.session}"${other?.info.session === s.session ? ' selected' : ''}>`
    + `#${s.session} · ${new Date(s.started * 1000).toLocaleDateString()} ${clock(s.started)}</option>`).join('');
}

function renderFinal() {
  const s = main.info;
  $('subtitle').textContent = `#${s.session} · ${s.ended == null ? t('liveNow') : t('ended')}`;
  $('f-gmv').textContent = money(s.gmv);
  $('f-gross').textContent = `${t('net')} · ${t('gross')} ${money(s.grossGmv)}`;
  $('f-orders').textContent = int(s.orders);
  $('f-units').textContent = int(s.units);
  $('f-buyers').textContent = int(s.buyers);
  $('f-peak').textContent = s.peakOnline == null ? '–' : int(s.peakOnline);
  $('f-duration').textContent = duration(s.durationSeconds ?? 0);
  $('f-refunds').textContent = money(s.refundAmount);
}

/** Series data up to index `upTo` (the replay cursor), x in ms; `shift` moves a compared session onto this one. */
function data(cols, metric, upTo, shift) {
  const n = Math.min(cols.n, upTo + 1);
  const out = new Array(n);
  const col = cols[metric];
  const scale = metric === 'gmv' ? 0.01 : 1;
  for (let i = 0; i < n; i++) out[i] = [(cols.start + i + shift) * 1000, col[i] * scale];
  return out;
}

function renderChart() {
  const picked = [...document.querySelectorAll('input.metric:checked')].map((x) => x.value);
  const c = main.cols;
  const end = (c.start + c.n - 1) * 1000;
  const list = [];
  for (const m of picked) {
    list.push({ name: `#${main.info.session} ${t(METRICS[m].key)}`, type: 'line', showSymbol: false, sampling: 'lttb',
      yAxisIndex: METRICS[m].axis, color: METRICS[m].color, data: data(c, m, cursor, 0) });
    if (other) {
      list.push({ name: `#${other.info.session} ${t(METRICS[m].key)}`, type: 'line', showSymbol: false, sampling: 'lttb',
        yAxisIndex: METRICS[m].axis, color: METRICS[m].color, lineStyle: { type: 'dashed', opacity: 0.6 },
        data: data(other.cols, m, other.cols.n - 1, c.start - other.cols.start) });
    }
  }
  if (list.length) {
    list[0].markArea = { silent: true, itemStyle: { color: 'rgba(22,119,255,0.08)' }, label: { position: 'insideTop', fontSize: 11 },
      data: explains.map((e) => [{ name: e.sku, xAxis: e.start }, { xAxis: e.end ?? end }]) };
    list[0].markPoint = { symbol: 'pin', symbolSize: 28, label: { show: false },
      data: marks.map((p) => ({ name: p.label, coord: [p.ts, 0], value: p.label })) };
    list[0].markLine = { symbol: 'none', silent: true, label: { show: false },
      data: [...alertSeconds.map((x) => ({ xAxis: x * 1000, lineStyle: { color: '#d97706', type: 'dashed' } })),
        { xAxis: (c.start + cursor) * 1000, lineStyle: { color: '#111', type: 'solid' } }] };
  }
  chart.setOption({
    animation: false,
    legend: { top: 0, type: 'scroll' },
    grid: { left: 72, right: 64, top: 32, bottom: 56 },
    tooltip: { trigger: 'axis' },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 4 }],
    xAxis: { type: 'time', min: c.start * 1000, max: end, axisLabel: { hideOverlap: true } },
    yAxis: [{ type: 'value', name: t('axisMoney'), min: 0, axisLabel: { formatter: (v) => money(v) } },
      { type: 'value', name: t('axisCount'), min: 0, axisLabel: { formatter: (v) => int(v) } }],
    series: list,
  }, { replaceMerge: ['series'] });
}

function renderCursor() {
  const c = main.cols;
  const s = c.start + cursor;
  $('scrub').value = String(cursor);
  $('replay-clock').dataset.second = String(s);
  $('replay-clock').textContent = `${clock(s)} · ${t('sinceStart')} ${duration(cursor)}`;
  $('r-gmv').textContent = money((c.gmvSum[cursor] / 100).toFixed(2));
  $('r-orders').textContent = int(c.ordersSum[cursor]);
  $('r-units').textContent = int(c.unitsSum[cursor]);
  $('r-peak').textContent = int(c.peak[cursor]);
  $('r-now-gmv').textContent = money((c.gmv[cursor] / 100).toFixed(2));
  $('r-now-orders').textContent = int(c.orders[cursor]);
  $('r-now-online').textContent = int(c.online[cursor]);
  $('r-now-enters').textContent = int(c.enters[cursor]);
  $('r-now-clicks').textContent = int(c.clicks[cursor]);
}

function render() {
  if (!main) return;
  renderCursor();
  renderChart();
}

// Replay: ten steps a second, each moving speed/10 seconds of the show (so 60× moves 6 per step).
function stop() {
  clearInterval(playing);
  playing = null;
  $('play').textContent = t('play');
}
$('play').onclick = () => {
  if (playing) { stop(); return; }
  if (cursor >= main.cols.n - 1) cursor = 0;
  let carry = 0;
  $('play').textContent = t('pause');
  render();
  playing = setInterval(() => {
    carry += Number($('speed').value) / 10;
    const step = Math.floor(carry);
    carry -= step;
    cursor = Math.min(main.cols.n - 1, cursor + step);
    if (cursor >= main.cols.n - 1) stop();
    render();
  }, 100);
};
$('scrub').oninput = () => { cursor = Number($('scrub').value); render(); };
for (const box of document.querySelectorAll('input.metric')) box.onchange = render;
$('compare').onchange = async () => {
  const n = Number($('compare').value);
  other = n ? await load(n) : null;
  render();
};

$('export-png').onclick = (e) => {
  e.preventDefault();
  const a = document.createElement('a');
  a.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  a.download = `${room}-session-${main?.info.session}.png`;
  a.click();
};

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

async function start() {
  sessions = (await api('/sessions')).sessions ?? [];
  const wanted = Number(param('session')) || sessions.filter((s) => s.started != null).at(-1)?.session;
  main = wanted ? await load(wanted) : null;
  renderSessions();
  if (!main) return;
  const n = main.info.session;
  const [ex, mk, al] = await Promise.all([api(`/explains?session=${n}`), api(`/marks?session=${n}`),
    api(`/alerts?from=${main.cols.start}&to=${main.cols.start + main.cols.n - 1}`).catch(() => ({ alerts: [] }))]);
  explains = ex.explains ?? [];
  marks = mk.marks ?? [];
  const alerts = al.alerts ?? [];
  alertSeconds = alerts.filter((a) => a.state === 'firing').map((a) => a.second);
  renderExplains($, explains);
  $('marks').innerHTML = marks.map((m) => `<li>${clock(m.ts / 1000)} <b>${escape(m.label)}</b>`
    + `${m.kind ? ` · ${escape(m.kind)}` : ''}</li>`).join('') || `<li class="empty">${t('noData')}</li>`;
  $('alert-history').innerHTML = alerts.slice().reverse().map((a) => `<li class="${a.state}">${clock(a.second)} `
    + `${escape(a.figure)} ${escape(t('op_' + a.op))} ${a.threshold} · ${t(a.state)} ${a.value}</li>`).join('')
    || `<li class="empty">${t('noAlerts')}</li>`;
  $('export-seconds').href = withToken(`/api/rooms/${encodeURIComponent(room)}/seconds.csv?session=${n}`);
  $('export-explains').href = withToken(`/api/rooms/${encodeURIComponent(room)}/explains.csv?session=${n}`);
  $('scrub').max = String(main.cols.n - 1);
  cursor = main.cols.n - 1;
  renderFinal();
  render();
  // Ready once the browser has painted the first frame with the chart (the review benchmark reads it).
  requestAnimationFrame(() => requestAnimationFrame(() => {
    window.lpReadyMs = performance.now();
    document.body.dataset.ready = 'true';
  }));
}

languageSwitch($('lang'), () => { renderSessions(); renderExplains($, explains); if (main) { renderFinal(); render(); } if (!playing) $('play').textContent = t('play'); });
start().catch((e) => { document.body.dataset.error = String(e); });
