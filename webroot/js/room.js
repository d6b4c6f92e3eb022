import { liveSocket, languageSwitch, setConnection, money, int, pct, clock, param, withToken, t, sourceName, duration, targetLine } from './lp.js';
import { alertPanel } from './alerts.js';
import { watchExplains, renderExplains } from './explains.js';

const WINDOW = 300; // seconds kept in the charts live: memory stays flat however long the page is open
const HISTORY_WINDOW = 86_400; // after "whole session": up to a day of seconds (the history API's limit)
let keep = WINDOW;
const room = param('room') ?? '';
const $ = (id) => document.getElementById(id);
const series = []; // [{second, gmv, online}] ascending, at most WINDOW
let latest = null;
let state = 'connecting';

$('anchor-link').href = withToken(`anchor.html?room=${encodeURIComponent(room)}`);
$('review-link').href = withToken(`review.html?room=${encodeURIComponent(room)}`);
$('back').href = withToken('./');
document.title = `LivePulse · ${room}`;

const gmvChart = echarts.init($('chart-gmv'));
const onlineChart = echarts.init($('chart-online'));
window.addEventListener('resize', () => { gmvChart.resize(); onlineChart.resize(); });

function chartOption(color, valueFormatter) {
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 12, bottom: 28 },
    tooltip: { trigger: 'axis', valueFormatter },
    xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v) => int(v) } },
    series: [{ type: 'line', showSymbol: false, color, areaStyle: { opacity: 0.15 }, data: [] }],
  };
}
gmvChart.setOption(chartOption('#ff4d4f', (v) => money(v)));
onlineChart.setOption(chartOption('#1677ff', (v) => int(v)));

function addPoint(s) {
  if (series.length && s.second <= series[series.length - 1].second) {
    const i = series.findIndex((x) => x.second === s.second);
    if (i >= 0) series[i] = s;
    return;
  }
  series.push(s);
  while (series.length > keep) series.shift();
}

const point = (second, s) => ({ second, gmv: Number(s.gmv), orders: s.orders, enters: s.enters, online: s.online,
  clicks: s.clicks ?? 0 });

// The trend: a picked metric, explain rounds as bands labelled with the product, marks as pins,
// alerts as dashed lines; zoom with the wheel or the slider.
let bands = [];
let pins = [];
gmvChart.setOption({ grid: { bottom: 56 }, dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 4 }] });
$('trend-metric').onchange = () => requestAnimationFrame(render);
// Older seconds come from the stored rows: all of the session with "whole session", or the half hour
// before the oldest one shown whenever the operator pans or zooms to the chart's left edge.
// Asked each time (a new show may have started since the page opened); it happens only on a pan.
const sessionStarted = () => fetch(withToken(`/api/rooms/${encodeURIComponent(room)}/sessions`))
  .then((r) => r.json()).then((b) => {
    const current = (b.sessions ?? []).at(-1);
    return current?.started ?? current?.firstSecond ?? Math.floor(Date.now() / 1000) - 3_600;
  });
let loadingOlder = false;
function loadOlder(from, to) {
  if (loadingOlder || to < from) return Promise.resolve();
  loadingOlder = true;
  return fetch(withToken(`/api/rooms/${encodeURIComponent(room)}/seconds?from=${from}&to=${to}`))
    .then((r) => r.json()).then((b) => {
      keep = HISTORY_WINDOW;
      const shown = series.splice(0);
      for (const x of b.seconds ?? []) addPoint(point(x.second, x));
      for (const x of shown) addPoint(x);
      requestAnimationFrame(render);
    }).finally(() => { loadingOlder = false; });
}
$('trend-history').onclick = () => sessionStarted().then((start) => {
  const to = (series[0]?.second ?? Math.floor(Date.now() / 1000)) - 1;
  return loadOlder(Math.max(start, to - HISTORY_WINDOW + series.length + 1), to);
});
gmvChart.on('datazoom', () => {
  const zoom = gmvChart.getOption().dataZoom?.[0];
  if (!zoom || zoom.start > 1 || !series.length || series.length >= HISTORY_WINDOW) return;
  sessionStarted().then((start) => {
    const to = series[0].second - 1;
    loadOlder(Math.max(start, to - 1_799, to - HISTORY_WINDOW + series.length + 1), to);
  });
});
fetch(withToken(`/api/rooms/${encodeURIComponent(room)}/marks`)).then((r) => (r.ok ? r.json() : { marks: [] }))
  .then((b) => { pins = b.marks ?? []; });
setInterval(() => fetch(withToken(`/api/rooms/${encodeURIComponent(room)}/marks`))
  .then((r) => (r.ok ? r.json() : { marks: [] })).then((b) => { pins = b.marks ?? []; }), 5000);

let alertSeconds = [];
const alerts = alertPanel(room, $, (list) => {
  alertSeconds = list.filter((a) => a.state === 'firing').map((a) => a.second);
  requestAnimationFrame(render);
});

function onMessage(msg) {
  if (msg.type === 'alert') {
    alerts.onAlert(msg);
    return;
  }
  if (msg.type === 'snapshot') {
    series.length = 0;
    for (const s of msg.series) addPoint(point(s.second, s));
  } else if (msg.type === 'tick') {
    addPoint(point(msg.second, msg.now));
  } else {
    return;
  }
  latest = msg;
  requestAnimationFrame(render);
}

function bars(listEl, rows) {
  const max = Math.max(1e-9, ...rows.map((r) => r.value));
  listEl.innerHTML = rows.map((r) => `<li><div class="bar-label"><span>${escape(r.label)}</span><b>${r.text}</b></div>`
    + `<div class="bar-track"><div class="bar-fill" style="width:${(100 * r.value / max).toFixed(1)}%"></div></div></li>`).join('')
    || `<li class="empty">${t('noData')}</li>`;
}

function render() {
  if (!latest) return;
  const m = latest;
  const tot = m.totals;
  $('title').textContent = m.title || room;
  $('subtitle').textContent = [m.anchor, m.platform, m.status === 'ended' ? t('ended') : null].filter(Boolean).join(' · ');
  $('asof').textContent = clock(m.second);
  $('n-gmv').textContent = money(tot.gmv);
  $('n-gross').textContent = `${t('net')} · ${t('gross')} ${money(tot.grossGmv ?? tot.gmv)}`;
  $('n-online-source').textContent = tot.onlineSource === 'reported' ? t('reported') : t('counted');
  $('n-orders').textContent = int(tot.orders);
  $('n-units').textContent = int(tot.units);
  $('n-buyers').textContent = int(tot.buyers);
  $('n-online').textContent = int(tot.online);
  $('n-peakOnline').textContent = int(tot.peakOnline);
  $('n-uv').textContent = int(tot.uv);
  $('n-conversion').textContent = pct(tot.conversion);
  $('n-gpm').textContent = money(tot.gpm);
  // Money ratios come from the server, to the cent (binary floating point here would round them).
  $('n-aov').textContent = money(tot.perOrder ?? 0);
  $('n-ctr').textContent = pct(tot.ctr);
  $('n-perBuyer').textContent = money(tot.perBuyer ?? 0);
  $('n-uvValue').textContent = money(tot.uvValue ?? 0);
  $('n-avgWatch').textContent = duration(tot.avgWatchSeconds ?? 0);
  $('n-avgWatch15m').textContent = `${t('last15m')} ${duration(tot.avgWatchSeconds15m ?? 0)}`;
  $('n-avgOnline').textContent = int(tot.avgOnline ?? 0);
  $('c-target').hidden = tot.target === undefined;
  $('n-target').textContent = targetLine(tot);
  $('target-fill').style.width = `${Math.min(100, 100 * (tot.targetProgress ?? 0)).toFixed(1)}%`;
  $('c-exposure').hidden = tot.exposureToEntry === undefined;
  $('n-exposureToEntry').textContent = pct(tot.exposureToEntry ?? 0);
  $('n-clickToBuy').textContent = pct(tot.clickToBuy ?? 0);
  $('n-refunds').textContent = money(tot.refundAmount ?? 0);
  $('n-refundRate').textContent = `${t('refundRate')} ${pct(tot.refundRate ?? 0)} · ${int(tot.refundOrders ?? 0)} ${t('refundedOrders')}`;
  const counts = ['likes', 'comments', 'follows', 'shares'].filter((k) => tot[k] !== undefined);
  $('c-platform').hidden = counts.length === 0;
  $('n-platform').textContent = counts.map((k) => `${t(k)} ${int(tot[k])}`).join(' · ');

  const metric = $('trend-metric').value;
  $('trend-title').textContent = t({ gmv: keep === WINDOW ? 'gmvPerSecond' : 'metricGmv', orders: 'metricOrders',
    enters: 'metricEnters', online: 'online', clicks: 'metricClicks' }[metric]);
  const since = series.length ? series[0].second * 1000 : 0;
  gmvChart.setOption({ series: [{ data: series.map((s) => [s.second * 1000, s[metric] ?? 0]),
    // Explain rounds as bands, marks as pins, alerts that fired as dashed lines.
    markArea: { silent: true, itemStyle: { color: 'rgba(22,119,255,0.08)' }, label: { position: 'insideTop', fontSize: 11 },
      data: bands.filter((b) => b[1].xAxis >= since) },
    markPoint: { symbol: 'pin', symbolSize: 28, label: { show: false },
      data: pins.filter((p) => p.ts >= since).map((p) => ({ name: p.label, coord: [p.ts, 0], value: p.label })) },
    markLine: { symbol: 'none', silent: true, lineStyle: { color: '#d97706', type: 'dashed' }, label: { show: false },
      data: alertSeconds.filter((x) => series.length && x >= series[0].second).map((x) => ({ xAxis: x * 1000 })) } }] });
  onlineChart.setOption({ series: [{ data: series.map((s) => [s.second * 1000, s.online]) }] });

  bars($('products'), m.topProducts.map((p) => ({
    label: p.title || p.sku, value: Math.max(0, Number(p.gmv)),
    text: `${money(p.gmv)} · ${int(p.units)}${p.clicks ? ` · ${int(p.clicks)} ${t('clicks')}` : ''}`
      + `${p.clickers ? ` · ${t('clickToBuy')} ${pct(p.clickToBuy)}` : ''}`,
  })));
  const groups = m.sourceGroups ?? {};
  bars($('groups'), ['natural', 'paid', 'private'].filter((g) => groups[g]).map((g) => ({
    label: t(g), value: groups[g].gmvShare || groups[g].entryShare,
    text: `${t('entries')} ${groups[g].entryShare.toFixed(1)}% · ${t('gmv')} ${groups[g].gmvShare.toFixed(1)}%`,
  })).filter((r) => r.value > 0));
  bars($('source-sales'), Object.entries(m.sourceSales ?? {}).map(([k, v]) => ({
    label: sourceName(k), value: Math.max(0, Number(v.gmv)),
    text: `${money(v.gmv)} · ${int(v.orders)} ${t('ordersShort')} · ${int(v.buyers)} ${t('buyersShort')}`,
  })));
  bars($('sources'), Object.entries(m.sources).sort((a, b) => b[1] - a[1])
    .map(([k, v]) => ({ label: sourceName(k), value: v, text: int(v) })));
  bars($('funnel'), [
    { label: t('views'), value: tot.views, text: int(tot.views) },
    { label: t('uv'), value: tot.uv, text: int(tot.uv) },
    { label: t('clickers'), value: tot.clickers, text: `${int(tot.clickers)} (${pct(tot.ctr)})` },
    { label: t('buyers'), value: tot.buyers, text: `${int(tot.buyers)} (${pct(tot.conversion)})` },
  ]);
}

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

watchExplains(room, (list) => {
  renderExplains($, list);
  bands = list.map((e) => [{ name: e.sku, xAxis: e.start }, { xAxis: e.end ?? Date.now() }]);
});

// Exports: the rounds and the last 24 h of per-second rows as CSV, the GMV chart as PNG.
$('export-explains').href = withToken(`/api/rooms/${encodeURIComponent(room)}/explains.csv`);
$('export-seconds').onclick = () => {
  const to = Math.floor(Date.now() / 1000);
  $('export-seconds').href = withToken(`/api/rooms/${encodeURIComponent(room)}/seconds.csv?from=${to - 86399}&to=${to}`);
};
$('export-png').onclick = (e) => {
  e.preventDefault();
  const a = document.createElement('a');
  a.href = gmvChart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  a.download = `${room}-gmv.png`;
  a.click();
};

// The session target is a room event (so scripts and the page set it the same way).
$('target-form').onsubmit = (e) => {
  e.preventDefault();
  const ev = { type: 'room', room, target: $('target-value').value };
  if ($('target-minutes').value) ev.targetMinutes = Number($('target-minutes').value);
  fetch(withToken('/api/events'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ev) })
    .then((r) => r.json()).then((b) => { $('target-error').textContent = b.errors?.[0]?.error ?? b.error ?? ''; });
};

languageSwitch($('lang'), () => { render(); alerts.rerender(); setConnection($('conn'), state); });
liveSocket(`/live?room=${encodeURIComponent(room)}`, onMessage, (s) => { state = s; setConnection($('conn'), s); });
