#!/usr/bin/env node
// Connects to a TikTok LIVE room with tiktok-live-connector and feeds it into LivePulse.
//   node bridge.mjs --user @creator [--room tiktok-creator] [--url ws://localhost:8080] [--token T]
import { parseArgs } from 'node:util';
import { TikTokLiveConnection, WebcastEvent } from 'tiktok-live-connector';
import { createMapper } from './mapping.mjs';
import { LivePulseClient } from './livepulse.mjs';

const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    room: { type: 'string' },
    url: { type: 'string', default: process.env.LIVEPULSE_URL ?? 'ws://localhost:8080' },
    token: { type: 'string', default: process.env.LIVEPULSE_TOKEN },
  },
});
if (!values.user) {
  console.error('usage: node bridge.mjs --user @creator [--room ROOM] [--url URL] [--token TOKEN]');
  process.exit(2);
}
const uniqueId = values.user.replace(/^@/, '');
const room = values.room ?? `tiktok-${uniqueId}`.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64);
const mapper = createMapper(room, { anchor: uniqueId });
const client = new LivePulseClient(values.url, { token: values.token });
await client.connect();

const tiktok = new TikTokLiveConnection(uniqueId);
for (const event of [WebcastEvent.MEMBER, WebcastEvent.ROOM_USER, WebcastEvent.LIKE, WebcastEvent.CHAT,
  WebcastEvent.FOLLOW, WebcastEvent.SHARE, WebcastEvent.STREAM_END]) {
  tiktok.on(event, (data) => client.send(mapper.map(event, data)));
}
const state = await tiktok.connect();
console.log(`connected to TikTok room ${state.roomId} as LivePulse room ${room}`);
client.send(mapper.start());
process.on('SIGINT', async () => {
  tiktok.disconnect();
  await client.drain();
  client.close();
  process.exit(0);
});
