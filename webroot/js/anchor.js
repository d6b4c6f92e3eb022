import { liveSocket, languageSwitch, setConnection, money, int, clock, param, t, targetLine } from './lp.js';
import { watchExplains, timer } from './explains.js';

const room = param('room') ?? '';
const $ = (id) => document.getElementById(id);
let latest = null;
let state = 'connecting';
$('room').textContent = room;

function render() {
  if (!latest) return;
  const m = latest;
  $('room').textContent = [m.anchor, m.title || room].filter(Boolean).join(' · ');
  $('asof').textContent = clock(m.second);
  $('gmv').textContent = money(m.totals.gmv);
  $('online').textContent = int(m.totals.online);
  $('online-source').textContent = m.totals.onlineSource === 'reported' ? t('reported') : '';
  $('anchor-target').hidden = m.totals.target === undefined;
  $('target-line').textContent = targetLine(m.totals);
  $('anchor-target-fill').style.width = `${Math.min(100, 100 * (m.totals.targetProgress ?? 0)).toFixed(1)}%`;
  $('orders').textContent = int(m.totals.orders);
  const top = m.topProducts[0];
  $('top').textContent = top ? (top.title || top.sku) : '—';
  $('top-detail').textContent = top ? `${money(top.gmv)} · ${int(top.units)}` : '';
}

languageSwitch($('lang'), () => { render(); setConnection($('conn'), state); });
// The product being explained, its sales in this round and the round's timer.
watchExplains(room, (list) => {
  const running = list.length && list[list.length - 1].end === null ? list[list.length - 1] : null;
  $('anchor-explain').hidden = !running;
  if (running) {
    $('anchor-explain-sku').textContent = running.sku;
    $('anchor-explain-detail').textContent = `${timer(Date.now() - running.start)} · ${money(running.gmv)} · ${int(running.units)}`;
  }
});

// Alerts the operator chose for the anchor (rule option "show to the anchor"), in large type.
const cues = new Map();
function renderCue() {
  const el = $('cue');
  el.hidden = cues.size === 0;
  el.textContent = [...cues.values()].map((a) => `⚠ ${t('cue_' + a.op) !== 'cue_' + a.op ? t('cue_' + a.op) : a.figure}`).join('  ·  ');
}

liveSocket(`/live?room=${encodeURIComponent(room)}`, (msg) => {
  if (msg.type === 'alert') {
    if (!msg.anchor) return;
    if (msg.state === 'firing') cues.set(msg.rule, msg); else cues.delete(msg.rule);
    renderCue();
    return;
  }
  if (msg.type === 'snapshot' || msg.type === 'tick') {
    latest = msg;
    requestAnimationFrame(render);
  }
}, (s) => { state = s; setConnection($('conn'), s); });
