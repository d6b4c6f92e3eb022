"""A LivePulse producer in Python: sends three frames over /ingest and prints each ack.

    pip install websockets
    python3 producer.py          (server on ws://localhost:8080, or set LIVEPULSE_URL)
"""
import asyncio
import json
import os
import time

import websockets

URL = os.environ.get("LIVEPULSE_URL", "ws://localhost:8080") + "/ingest"
ROOM = "demo-python"


async def main():
    now = int(time.time() * 1000)
    frames = [
        # 1. A JSON array of events.
        json.dumps([
            {"type": "room", "room": ROOM, "anchor": "Viya", "platform": "taobao", "status": "live"},
            {"type": "viewer", "room": ROOM, "user": "u1", "action": "enter", "source": "search", "ts": now},
            {"type": "click", "room": ROOM, "user": "u1", "sku": "serum-30", "ts": now},
        ]),
        # 2. NDJSON, one event per line; the second line is invalid on purpose.
        "\n".join(json.dumps(e) for e in [
            {"type": "order", "room": ROOM, "order": "P-1", "user": "u1", "sku": "serum-30",
             "amount": "329.00", "title": "Face serum 30ml", "ts": now},
            {"type": "order", "room": ROOM, "order": "P-2", "user": "u1", "sku": "serum-30", "amount": "1.005"},
        ]),
        # 3. A refund of part of the first order.
        json.dumps({"type": "refund", "room": ROOM, "order": "P-1", "amount": "29.00"}),
    ]
    async with websockets.connect(URL) as ws:
        for frame in frames:
            await ws.send(frame)
        for _ in frames:  # exactly one ack per frame, in frame order
            ack = json.loads(await ws.recv())
            print(f"ack {ack['ack']}: accepted={ack['accepted']} duplicates={ack['duplicates']} "
                  f"rejected={ack['rejected']}")
            for e in ack["errors"]:
                print(f"  event {e['index']}: {e['error']}")


asyncio.run(main())
