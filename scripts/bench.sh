#!/usr/bin/env bash
# The benchmark of docs/BENCHMARKS.md, from a clean checkout:
#   scripts/bench.sh            both runs (platform: 60 s each for LivePulse and the bare ceiling; hot: 90 s)
#   scripts/bench.sh platform   1,000 rooms, 4 producers, 1,000 /live subscribers, vs a bare Vert.x endpoint
#   scripts/bench.sh hot        one room: 100,000 orders and 2,000,000 distinct viewers in 90 s
#   scripts/bench.sh alerts     the platform run without alert rules, then with 20,000 (push lag, alert delay)
#   scripts/bench.sh review     a 4-hour session opened in the review page (headless Chromium), 7 times
#   scripts/bench.sh fanout     10,000 /live subscribers connecting at once beside 100,000 events/s of ingest (240 s)
#   scripts/bench.sh redis      the platform load sent to an endpoint keeping the same figures in Redis, then to
#                               LivePulse (60 s each; needs Debian's redis-server: apt-get install redis-server)
# Results are printed and written to target/bench/<run>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
runs=("$@")
[ ${#runs[@]} -eq 0 ] && runs=(platform hot)
for run in "${runs[@]}"; do
  if [ "$run" = review ]; then
    java -cp "$CP" io.livepulse.bench.ReviewBenchmark
  else
    # The load generator's heap fixed and touched at start, like the servers' (see Benchmark.Server.heapArgs):
    # a heap growing under load costs page faults in the middle of the measurement.
    java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp "$CP" io.livepulse.bench.Benchmark "$run"
  fi
done
