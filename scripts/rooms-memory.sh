#!/usr/bin/env bash
# 50,000 rooms (two viewers, a click and an order each) pushed into a server with a 512 MB heap; prints
# the heap in use after a full GC and the idle CPU with all of them held. Usage: scripts/rooms-memory.sh [ROOMS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOMS=${1:-50000}
PORT=18620
WORK=$(mktemp -d)
[ -f target/livepulse.jar ] || mvn -q package -DskipTests
python3 - "$ROOMS" "$WORK/rooms.ndjson" <<'PY'
import json, sys, time
n, path = int(sys.argv[1]), sys.argv[2]
ts = int(time.time() * 1000)
with open(path, 'w') as f:
    for r in range(n):
        room = f"day-{r}"
        f.write(json.dumps({"type": "viewer", "room": room, "user": f"a{r}", "action": "enter", "source": "recommend", "ts": ts}) + "\n")
        f.write(json.dumps({"type": "viewer", "room": room, "user": f"b{r}", "action": "enter", "ts": ts}) + "\n")
        f.write(json.dumps({"type": "click", "room": room, "user": f"a{r}", "sku": "s1", "ts": ts}) + "\n")
        f.write(json.dumps({"type": "order", "room": room, "order": f"o{r}", "user": f"a{r}", "sku": "s1", "amount": "19.90", "title": "Lamp", "ts": ts}) + "\n")
PY
java -Xmx512m -jar target/livepulse.jar --data-dir "$WORK/data" --port $PORT > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
until grep -q "listening on port" "$WORK/server.log"; do sleep 0.2; done
java -jar target/livepulse.jar push --url ws://127.0.0.1:$PORT "$WORK/rooms.ndjson" 2>/dev/null | tail -3
JVM=$(pgrep -f "^java -Xmx512m -jar target/livepulse.jar --data-dir $WORK/data")
jcmd "$JVM" GC.run > /dev/null
jcmd "$JVM" GC.heap_info | sed -n 2p
curl -s localhost:$PORT/metrics | grep -E '^livepulse_rooms '
top -b -d 10 -n 2 -p "$JVM" | grep -A1 PID | tail -1 | awk '{print "idle CPU over 10 s: " $9 " %"}'
