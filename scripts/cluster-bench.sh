#!/usr/bin/env bash
# The cost of clustering in docs/BENCHMARKS.md: the same load through one node and through a 3-node
# cluster on one Debian PostgreSQL; CPU seconds per million events, ack latency, tick push lag.
#   scripts/cluster-bench.sh [FRAMES]     (default 6000 frames of 100 events)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
java -cp "$CP" io.livepulse.bench.ClusterBenchmark "$@"
