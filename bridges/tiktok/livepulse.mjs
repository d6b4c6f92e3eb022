// A small /ingest client: batches events into frames, keeps frames until they are acknowledged, and
// after a reconnect sends again what was not (LivePulse detects the duplicates).
import WebSocket from 'ws';

export function ingestUrl(url) {
  const u = new URL(url);
  u.protocol = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
  if (!u.pathname.replace(/\/+$/, '').endsWith('/ingest')) {
    u.pathname = u.pathname.replace(/\/+$/, '') + '/ingest';
  }
  return u.toString();
}

export class LivePulseClient {
  constructor(url, { token, flushMs = 200, log = () => {} } = {}) {
    this.url = ingestUrl(url);
    this.token = token;
    this.flushMs = flushMs;
    this.log = log;
    this.buffer = [];
    this.unacked = [];
    this.totals = { accepted: 0, duplicates: 0, rejected: 0, errors: [] };
    this.idle = [];
  }

  connect() {
    return new Promise((resolve, reject) => {
      const headers = this.token ? { Authorization: `Bearer ${this.token}` } : {};
      const ws = new WebSocket(this.url, { headers });
      ws.on('message', (text) => this.onAck(JSON.parse(text)));
      ws.once('open', () => {
        this.ws = ws;
        // Whatever was sent and not acknowledged goes again, in order.
        for (const frame of this.unacked) {
          ws.send(frame.text);
        }
        this.timer = setInterval(() => this.flush(), this.flushMs);
        resolve();
      });
      ws.once('error', reject);
      ws.on('close', () => clearInterval(this.timer));
    });
  }

  send(events) {
    this.buffer.push(...events);
    if (this.buffer.length >= 500) {
      this.flush();
    }
  }

  flush() {
    if (!this.ws || this.buffer.length === 0) {
      return;
    }
    const frame = { text: this.buffer.map((e) => JSON.stringify(e)).join('\n'), events: this.buffer };
    this.buffer = [];
    this.unacked.push(frame);
    this.ws.send(frame.text);
  }

  onAck(ack) {
    const frame = this.unacked.shift();
    this.totals.accepted += ack.accepted;
    this.totals.duplicates += ack.duplicates;
    this.totals.rejected += ack.rejected;
    for (const e of ack.errors ?? []) {
      if (this.totals.errors.length < 20) {
        this.totals.errors.push(`${frame?.events[e.index]?.type ?? '?'}: ${e.error}`);
      }
    }
    if (this.unacked.length === 0 && this.buffer.length === 0) {
      this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Sends what is buffered and resolves once every frame is acknowledged. */
  drain() {
    this.flush();
    if (this.unacked.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close() {
    clearInterval(this.timer);
    this.ws?.close();
  }
}
