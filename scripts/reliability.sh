#!/usr/bin/env bash
# The longer fault loops of docs/RELIABILITY.md: kill -9 under load ROUNDS times (default 20), then
# the PostgreSQL outage and graceful-stop tests. Needs Debian's postgresql package for the outage test.
#   scripts/reliability.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-20}"
mvn -B -q test -Dtest='KillNineTest,DatabaseOutageTest,GracefulStopTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlivepulse.chaos.rounds="$ROUNDS"
grep -h "kill -9 round\|graceful stop under load" target/surefire-reports/*-output.txt
grep -h "Tests run" target/surefire-reports/io.livepulse.reliability.*.txt
