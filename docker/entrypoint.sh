#!/bin/sh
# Starts LivePulse in a container. Every setting comes from the environment (PORT, DATABASE_URL,
# LIVEPULSE_HOST, LIVEPULSE_DATA_DIR, LIVEPULSE_TOKENS, ...), which the server reads itself;
# arguments are passed through (default: serve). exec keeps the JVM as PID 1's direct child so
# that SIGTERM from `docker stop` reaches it and it stops gracefully.
set -eu
JAR="${LIVEPULSE_JAR:-/opt/livepulse/livepulse.jar}"
if [ "${1:-serve}" = "serve" ] && [ -z "${DATABASE_URL:-}" ] && [ ! -w "${LIVEPULSE_DATA_DIR:-.}" ]; then
  echo "livepulse: data directory ${LIVEPULSE_DATA_DIR:-.} is not writable by $(id -un); mount a volume there" >&2
  exit 2
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$JAR" "$@"
