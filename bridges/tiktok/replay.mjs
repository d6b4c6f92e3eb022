#!/usr/bin/env node
// Replays recorded tiktok-live-connector events (one {"event": name, "data": {...}} per line) through
// the same mapping the live bridge uses, into LivePulse; prints what LivePulse acknowledged.
//   node replay.mjs sample/recorded.ndjson --room tiktok-demo [--url ws://localhost:8080] [--token T]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createMapper } from './mapping.mjs';
import { LivePulseClient } from './livepulse.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    room: { type: 'string', default: 'tiktok-replay' },
    url: { type: 'string', default: process.env.LIVEPULSE_URL ?? 'ws://localhost:8080' },
    token: { type: 'string', default: process.env.LIVEPULSE_TOKEN },
  },
});
if (positionals.length !== 1) {
  console.error('usage: node replay.mjs FILE --room ROOM [--url URL] [--token TOKEN]');
  process.exit(2);
}
const mapper = createMapper(values.room, { anchor: values.room });
const client = new LivePulseClient(values.url, { token: values.token });
try {
  await client.connect();
} catch (err) {
  console.error(`livepulse-tiktok: cannot connect to ${client.url}: ${err.message}`);
  process.exit(2);
}
client.send(mapper.start());
for (const line of readFileSync(positionals[0], 'utf8').split('\n')) {
  if (line.trim()) {
    const { event, data } = JSON.parse(line);
    client.send(mapper.map(event, data));
  }
}
await client.drain();
client.close();
const t = client.totals;
console.log(`accepted ${t.accepted}, duplicates ${t.duplicates}, rejected ${t.rejected}`);
t.errors.forEach((e) => console.log(`  ${e}`));
process.exit(t.rejected === 0 ? 0 : 1);
