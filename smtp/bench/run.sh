#!/usr/bin/env bash
# SMTP benchmark: Mailroom (1 and 4 connections) against raw Angus with one Transport kept open, sending to
# Postfix's smtp-sink on 127.0.0.1, and one 50 MB attachment under -Xmx64m. Not part of the normal build.
#
#   bash smtp/bench/run.sh [texts pdfs runs]      defaults: 5000 1000 3
#
# Installs Debian's postfix package for smtp-sink when it is missing (needs root or sudo for apt-get).
set -euo pipefail
cd "$(dirname "$0")/../.."

TEXTS=${1:-5000}
PDFS=${2:-1000}
RUNS=${3:-3}
PORT=${BENCH_PORT:-2525}

SINK=$(command -v smtp-sink || true)
if [ -z "$SINK" ] && [ -x /usr/sbin/smtp-sink ]; then SINK=/usr/sbin/smtp-sink; fi
if [ -z "$SINK" ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postfix
  SINK=/usr/sbin/smtp-sink
fi

USER_OPT=()
if [ "$(id -u)" = 0 ]; then USER_OPT=(-u postfix); fi
"$SINK" "${USER_OPT[@]}" 127.0.0.1:"$PORT" 256 &
SINK_PID=$!
trap 'kill "$SINK_PID" 2>/dev/null || true' EXIT
sleep 1

echo "== ${TEXTS} x 1 KB text and ${PDFS} x 100 KB PDF, medians of ${RUNS} alternating runs"
mvn -q -Pbench -pl smtp -am test -DskipTests \
  -Dbench.jvm=-Xmx512m -Dbench.args="127.0.0.1 ${PORT} ${TEXTS} ${PDFS} ${RUNS}"

echo "== one 50 MB attachment from a file under -Xmx64m"
mvn -q -Pbench -pl smtp -am test -DskipTests \
  -Dbench.jvm=-Xmx64m -Dbench.args="127.0.0.1 ${PORT} large"
