// Shared by every page: access token, reconnecting WebSocket, i18n, number formatting.

const params = new URLSearchParams(location.search);
export const token = params.get('token');
export const param = (name) => params.get(name);

/** Adds ?token= (when the page has one) to an API or WebSocket path. */
export function withToken(path) {
  if (!token) return path;
  return path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
}

export function wsUrl(path) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${withToken(path)}`;
}

export async function getJson(path) {
  const res = await fetch(withToken(path));
  if (!res.ok) throw new Error(`${res.status} ${path}`);
  return res.json();
}

/**
 * A WebSocket that reconnects with exponential backoff (0.5 s doubling to 10 s, with jitter) after
 * the server restarts or the network drops. Each new connection starts with a fresh snapshot.
 */
export function liveSocket(path, onMessage, onState) {
  let delay = 500;
  let closedByUs = false;
  let socket;
  const open = () => {
    onState('connecting');
    socket = new WebSocket(wsUrl(path));
    socket.onopen = () => { delay = 500; onState('live'); };
    socket.onmessage = (e) => onMessage(JSON.parse(e.data));
    socket.onclose = () => {
      if (closedByUs) return;
      onState('reconnecting');
      const wait = delay * (0.75 + Math.random() * 0.5);
      delay = Math.min(delay * 2, 10_000);
      setTimeout(open, wait);
    };
  };
  open();
  return { close() { closedByUs = true; socket.close(); } };
}

// ---- language ---------------------------------------------------------------------------------

const DICT = {
  en: {
    overview: 'Live overview', gmv: 'GMV', orders: 'Orders', online: 'Online', liveRooms: 'Live rooms',
    rooms: 'Room leaderboard', products: 'Product leaderboard', room: 'Room', anchor: 'Anchor',
    platform: 'Platform', uv: 'UV', conversion: 'Conversion', trend: 'GMV / s', product: 'Product',
    units: 'Units', buyers: 'Buyers', peakOnline: 'Peak online', gpm: 'GPM', aov: 'Avg order',
    ctr: 'CTR', gmvPerSecond: 'GMV per second (last 5 min)', onlineChart: 'Viewers online (last 5 min)',
    topProducts: 'Top products', sources: 'Traffic sources', funnel: 'Funnel', views: 'Views',
    clickers: 'Clickers', asOf: 'as of', live: 'live', connecting: 'connecting…',
    reconnecting: 'reconnecting…', back: '← all rooms', anchorView: 'Anchor view', dashboard: 'Dashboard',
    topProduct: 'Top product', noData: 'waiting for events…', ended: 'ended', status: 'Status',
    net: 'net', gross: 'gross', refunds: 'Refunds', refundRate: 'refund rate', clickToBuy: 'Click-to-buy',
    perBuyer: 'Per buyer', uvValue: 'UV value', reported: 'platform figure', counted: 'counted from events',
    likes: 'Likes', comments: 'Comments', follows: 'Follows', shares: 'Shares', platformCounts: 'Platform counts',
    clicks: 'clicks', refundedOrders: 'orders refunded',
    avgWatch: 'Avg watch time', last15m: 'last 15 min', avgOnline: 'Avg online', exposureToEntry: 'Exposure to entry',
    sourceGroups: 'Traffic mix', sourceSales: 'Sales by source', natural: 'Natural', paid: 'Paid',
    private: 'Private domain', entries: 'entries', ordersShort: 'orders', buyersShort: 'buyers',
    perBuyerShort: 'Per buyer', refundRateShort: 'Refunds',
    alerts: 'Alerts', alertHistory: 'Alert history', addRule: 'Add rule', delete: 'delete', noRules: 'no rules yet',
    noAlerts: 'nothing fired yet', firing: 'firing', resolved: 'resolved', now: 'now', rule: 'rule',
    allRooms: 'every room', toAnchor: 'show to the anchor', value: 'value', seconds: 'seconds', cooldown: 'cooldown s',
    webhook: 'webhook URL (optional)', alertMark: 'alert',
    op_below: 'below', op_above: 'above', op_drop: 'drops by %', op_rise: 'rises by %', op_stall: 'no order for',
    op_silent: 'no event for', op_milestone: 'reaches', op_pace: 'behind pace of',
    cue_below: 'Below target', cue_above: 'Above limit', cue_drop: 'Dropping fast', cue_rise: 'Rising fast',
    cue_stall: 'No orders — push the offer', cue_silent: 'Data feed silent', cue_milestone: 'Milestone reached!',
    cue_pace: 'Behind target pace',
    target: 'Session target', targetGmv: 'GMV', targetMinutes: 'minutes', setTarget: 'Set target',
    ofTarget: 'of', aheadOfPace: 'ahead of pace', behindPace: 'behind pace', onPace: 'on pace', min: 'min',
    explains: 'Explain rounds', explaining: 'explaining', startedAt: 'Start', duration: 'Duration', roomGmv: 'Room GMV',
    clicksHead: 'Clicks', noExplains: 'no finished round yet', exportExplains: 'rounds CSV',
    exportSeconds: 'seconds CSV (24 h)', exportPng: 'chart PNG', metricGmv: 'GMV/s', metricOrders: 'Orders per second',
    metricEnters: 'Entries per second', wholeSession: 'whole session',
    review: 'Review', reviewTitle: 'Session review', sessions: 'Sessions', session: 'Session', endedAt: 'End',
    peakOnlineShort: 'Peak online', rounds: 'Rounds', marks: 'Marks', liveNow: 'live now', play: 'Play', pause: 'Pause',
    speed: 'speed', compareWith: 'compare with', none: 'none', finalFigures: 'Final figures',
    replayAt: 'at', thisSecond: 'this second', soFar: 'so far', metricClicks: 'Clicks per second',
    metricOnline: 'Online', axisMoney: 'GMV', axisCount: 'count', sinceStart: 'since start', noSessions: 'no stored session',
    exportSessionSeconds: 'seconds CSV', pastShows: 'Review past shows',
  },
  zh: {
    overview: '直播大盘', gmv: '成交额', orders: '订单数', online: '在线人数', liveRooms: '直播间',
    rooms: '直播间排行', products: '商品排行', room: '直播间', anchor: '主播', platform: '平台',
    uv: '访客数', conversion: '转化率', trend: '每秒成交', product: '商品', units: '件数',
    buyers: '买家数', peakOnline: '最高在线', gpm: '千次观看成交', aov: '客单价', ctr: '点击率',
    gmvPerSecond: '每秒成交额（近5分钟）', onlineChart: '在线人数（近5分钟）', topProducts: '热销商品',
    sources: '流量来源', funnel: '转化漏斗', views: '观看次数', clickers: '点击人数', asOf: '更新于',
    live: '实时', connecting: '连接中…', reconnecting: '重新连接中…', back: '← 全部直播间',
    anchorView: '主播视图', dashboard: '数据看板', topProduct: '当前爆款', noData: '等待数据…',
    ended: '已下播', status: '状态',
    net: '净额', gross: '总成交', refunds: '退款', refundRate: '退款率', clickToBuy: '点击-成交率',
    perBuyer: '客单价', uvValue: 'UV价值', reported: '平台数据', counted: '按事件统计',
    likes: '点赞', comments: '评论', follows: '关注', shares: '分享', platformCounts: '平台互动',
    clicks: '次点击', refundedOrders: '笔订单退款',
    avgWatch: '人均观看时长', last15m: '近15分钟', avgOnline: '平均在线', exposureToEntry: '曝光-进入率',
    sourceGroups: '流量结构', sourceSales: '渠道成交', natural: '自然流量', paid: '付费流量',
    private: '私域流量', entries: '进入', ordersShort: '单', buyersShort: '位买家',
    perBuyerShort: '客单价', refundRateShort: '退款率',
    alerts: '预警', alertHistory: '预警记录', addRule: '添加规则', delete: '删除', noRules: '暂无规则',
    noAlerts: '暂无预警', firing: '触发', resolved: '恢复', now: '当前', rule: '规则',
    allRooms: '全部直播间', toAnchor: '提示主播', value: '阈值', seconds: '持续秒数', cooldown: '冷却秒数',
    webhook: 'Webhook 地址（可选）', alertMark: '预警',
    op_below: '低于', op_above: '高于', op_drop: '下跌%', op_rise: '上涨%', op_stall: '无订单秒数',
    op_silent: '无事件秒数', op_milestone: '达到', op_pace: '落后目标进度',
    cue_below: '低于目标', cue_above: '超出上限', cue_drop: '快速下跌', cue_rise: '快速上涨',
    cue_stall: '暂无成交，加把劲', cue_silent: '数据中断', cue_milestone: '达成里程碑！', cue_pace: '落后目标进度',
    target: '本场目标', targetGmv: '目标成交额', targetMinutes: '计划分钟', setTarget: '设定目标',
    ofTarget: '/', aheadOfPace: '领先进度', behindPace: '落后进度', onPace: '符合进度', min: '分钟',
    explains: '讲解场次', explaining: '讲解中', startedAt: '开始', duration: '时长', roomGmv: '全场成交',
    clicksHead: '点击', noExplains: '暂无已结束的讲解', exportExplains: '导出讲解 CSV',
    exportSeconds: '导出逐秒数据 CSV（24小时）', exportPng: '导出图表 PNG', metricGmv: '每秒成交额',
    metricOrders: '每秒订单数', metricEnters: '每秒进入人数', wholeSession: '整场',
    review: '复盘', reviewTitle: '直播复盘', sessions: '场次', session: '场次', endedAt: '结束',
    peakOnlineShort: '最高在线', rounds: '讲解', marks: '标记', liveNow: '直播中', play: '播放', pause: '暂停',
    speed: '倍速', compareWith: '对比场次', none: '无', finalFigures: '本场数据',
    replayAt: '回放至', thisSecond: '当秒', soFar: '累计', metricClicks: '每秒点击数',
    metricOnline: '在线人数', axisMoney: '成交额', axisCount: '人数/次数', sinceStart: '开播后', noSessions: '暂无已存场次',
    exportSessionSeconds: '导出逐秒数据 CSV', pastShows: '往期复盘',
  },
};
// The platforms' words for the same figures (笔单价 per order, 客单价 per buyer, 观看-成交率 ...).
DICT.zh.aov = '笔单价';
DICT.zh.conversion = '观看-成交率';
DICT.zh.ctr = '观看-点击率';
DICT.zh.uv = '观看人数';

/** What each figure means, shown as a tooltip on its label (the definitions of docs/protocol.md). */
const TIPS = {
  en: {
    gmv: 'Net GMV: accepted orders minus accepted refunds', orders: 'Accepted, distinct orders',
    units: 'Sum of qty over accepted orders', buyers: 'Distinct users with an accepted order',
    online: 'Users inside now (or the platform\'s own count, once it reports one)',
    peakOnline: 'Highest online so far this session', uv: 'Distinct users seen entering, clicking or buying',
    conversion: 'Buyers / UV', gpm: 'GMV × 1000 / views', aov: 'Gross GMV / orders (per-order value)',
    ctr: 'Clickers / UV', refunds: 'Sum of accepted refunds; rate = refunds / gross GMV',
    clickToBuy: 'Buyers / clickers', perBuyer: 'Net GMV / buyers', uvValue: 'Net GMV / UV',
    platformCounts: 'Cumulative counts the platform reported (stats events)',
    avgWatch: 'Viewer-seconds of the live show / viewers (the platform\'s viewers once reported, else UV); below: the last 15 minutes, per visit',
    avgOnline: 'Viewer-seconds / seconds the show has been live',
    exposureToEntry: 'Entries / impressions the platform reported',
    sourceGroups: 'Share of entries and of net GMV from natural, paid and private-domain sources (--source-groups)',
    sourceSales: 'Net GMV, orders and buyers of the orders that carry each source',
    perBuyerShort: 'Net GMV / buyers', refundRateShort: 'Refunds / gross GMV',
  },
  zh: {
    gmv: '净成交额：已接受订单金额减去已接受退款', orders: '已接受的不重复订单数', units: '已接受订单的件数之和',
    buyers: '有已接受订单的不重复用户数', online: '当前在直播间内的人数（平台上报后以平台数据为准）',
    peakOnline: '本场最高在线', uv: '进入、点击或下单的不重复用户数', conversion: '买家数 / 观看人数',
    gpm: '成交额 × 1000 / 观看次数', aov: '总成交额 / 订单数', ctr: '点击人数 / 观看人数',
    refunds: '已接受退款之和；退款率 = 退款 / 总成交额', clickToBuy: '买家数 / 点击人数',
    perBuyer: '净成交额 / 买家数', uvValue: '净成交额 / 观看人数', platformCounts: '平台上报的累计数据（stats 事件）',
    avgWatch: '本场直播的观看总时长 / 观看人数（平台上报后以平台累计观看人数为准）；下方为近15分钟每次进入的平均停留',
    avgOnline: '观看总时长 / 已直播秒数', exposureToEntry: '进入次数 / 平台上报的曝光次数',
    sourceGroups: '自然、付费、私域流量的进入占比与净成交额占比（--source-groups）',
    sourceSales: '按订单来源统计的净成交额、订单数与买家数',
    perBuyerShort: '净成交额 / 买家数', refundRateShort: '退款 / 总成交额',
  },
};
const SOURCE_NAMES = {
  zh: { recommend: '推荐', follow: '关注', search: '搜索', ads: '广告', share: '分享', other: '其他',
    fans: '粉丝团', group: '社群', private: '私域' },
  en: {},
};

export let lang = localStorage.getItem('livepulse.lang')
  || ((navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en');

export const t = (key) => DICT[lang][key] ?? DICT.en[key] ?? key;
export const sourceName = (s) => SOURCE_NAMES[lang][s] ?? s;

export function applyI18n(root = document) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
    const tip = TIPS[lang][el.dataset.i18n] ?? TIPS.en[el.dataset.i18n];
    if (tip) el.title = tip;
  });
}

/** Wires the language switch button; onChange re-renders what is not data-i18n text. */
export function languageSwitch(button, onChange) {
  const label = () => { button.textContent = lang === 'zh' ? 'EN' : '中文'; };
  label();
  button.addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('livepulse.lang', lang);
    label();
    applyI18n();
    onChange?.();
  });
  applyI18n();
}

// ---- formatting ---------------------------------------------------------------------------------

const locale = () => (lang === 'zh' ? 'zh-CN' : 'en-US');
export const money = (x) => new Intl.NumberFormat(locale(), {
  style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol',
  minimumFractionDigits: 2, maximumFractionDigits: 2,
}).format(Number(x) || 0);
export const int = (x) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(Number(x) || 0);
/** Seconds as "1m 05s" / "1分05秒" (hours when it takes them). */
export const duration = (sec) => {
  const s = Math.max(0, Math.round(Number(sec) || 0));
  const h = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60); const r = s % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (lang === 'zh') return h ? `${h}时${pad(m)}分${pad(r)}秒` : m ? `${m}分${pad(r)}秒` : `${r}秒`;
  return h ? `${h}h ${pad(m)}m ${pad(r)}s` : m ? `${m}m ${pad(r)}s` : `${r}s`;
};
/** "62 % of ¥1,000,000 · 3 min ahead of pace", from a totals object with a target; '' without one. */
export function targetLine(tot) {
  if (tot.target === undefined) return '';
  const head = `${Math.round(100 * (tot.targetProgress ?? 0))}% ${t('ofTarget')} ${money(tot.target)}`;
  if (tot.paceSeconds === undefined) return head;
  const m = Math.round(Math.abs(tot.paceSeconds) / 60);
  const pace = m === 0 ? t('onPace') : `${m} ${t('min')} ${tot.paceSeconds > 0 ? t('aheadOfPace') : t('behindPace')}`;
  return `${head} · ${pace}`;
}
export const pct = (x) => `${((Number(x) || 0) * 100).toFixed(2)}%`;
export const clock = (second) => new Date(second * 1000).toLocaleTimeString('en-GB', { hour12: false });

export function setConnection(el, state) {
  el.dataset.state = state;
  el.textContent = t(state);
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A tiny SVG sparkline; cheaper than a chart per table row. */
export function sparkline(values, width = 120, height = 28) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true">`
    + `<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points.join(' ')}"/></svg>`;
}
