#!/usr/bin/env bash
# The longer cluster fault loop of docs/RELIABILITY.md: three nodes on Debian's PostgreSQL, producers on
# two of them, KILLS rounds (default 6) of kill -9 on a producer's node and starting it again (it
# rejoins); at the end every node must equal an independent model to the cent and PostgreSQL must hold
# each acknowledged order once. Needs Debian's postgresql package.
#   scripts/cluster-chaos.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS="${1:-6}"
mvn -B -q test -Dtest='ClusterTest' -Dsurefire.failIfNoSpecifiedTests=false -Dlivepulse.cluster.kills="$KILLS"
grep -h "cluster chaos" target/surefire-reports/io.livepulse.cluster.ClusterTest-output.txt
grep -h "Tests run" target/surefire-reports/io.livepulse.cluster.ClusterTest.txt
