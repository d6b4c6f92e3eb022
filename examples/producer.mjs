// A LivePulse producer in Node.js: sends three frames over /ingest and prints each ack.
//   npm install ws
//   node producer.mjs            (server on ws://localhost:8080, or set LIVEPULSE_URL)
import WebSocket from 'ws';

const url = (process.env.LIVEPULSE_URL ?? 'ws://localhost:8080') + '/ingest';
const ws = new WebSocket(url);
const room = 'demo-node';
const now = Date.now();

const frames = [
  // 1. A JSON array of events.
  [
    { type: 'room', room, anchor: 'Li Jiaqi', title: 'Double 11 warm-up', platform: 'taobao', status: 'live' },
    { type: 'viewer', room, user: 'u1', action: 'enter', source: 'recommend', ts: now },
    { type: 'viewer', room, user: 'u2', action: 'enter', source: 'follow', ts: now },
    { type: 'click', room, user: 'u1', sku: 'lock-01', ts: now },
  ],
  // 2. NDJSON: one event per line. The third line is invalid on purpose.
  [
    { type: 'order', room, order: 'A-1001', user: 'u1', sku: 'lock-01', qty: 1, amount: '1299.00', title: 'Smart door lock', ts: now },
    { type: 'order', room, order: 'A-1002', user: 'u2', sku: 'tea-02', qty: 2, amount: 176, title: 'Tea gift box', ts: now },
    { type: 'order', room, order: 'A-1003', user: 'u2', sku: 'tea-02', amount: -5 },
  ].map((e) => JSON.stringify(e)).join('\n'),
  // 3. A single object: re-sending an order id is acknowledged as a duplicate.
  { type: 'order', room, order: 'A-1001', user: 'u1', sku: 'lock-01', amount: '1299.00' },
];

let pending = frames.length;
ws.on('open', () => {
  for (const f of frames) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
});
ws.on('message', (data) => {
  const ack = JSON.parse(data.toString());
  console.log(`ack ${ack.ack}: accepted=${ack.accepted} duplicates=${ack.duplicates} rejected=${ack.rejected}`);
  for (const e of ack.errors) console.log(`  event ${e.index}: ${e.error}`);
  if (--pending === 0) ws.close();
});
ws.on('error', (err) => { console.error(err.message); process.exit(1); });
