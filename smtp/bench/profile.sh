#!/usr/bin/env bash
# Where the CPU time of one benchmark case goes: runs one client and case against smtp-sink on 127.0.0.1 under
# Java Flight Recorder (CPU samples and allocations, the "profile" settings; the measured part only, after
# a warm-up of a fifth of the messages) and prints the hottest methods
# (self time, and the Mailroom/Angus/JDK frame that called into the JDK), and the top allocation sites.
#
#   bash smtp/bench/profile.sh [mailroom|angus] [connections] [count] [pdf: true|false]
#   defaults: mailroom 1 20000 false
#
# The recording stays in smtp/target/bench/profile.jfr (open it with JDK Mission Control, or `jfr print`).
set -euo pipefail
cd "$(dirname "$0")/../.."

CLIENT=${1:-mailroom}
CONNECTIONS=${2:-1}
COUNT=${3:-20000}
PDF=${4:-false}
PORT=${BENCH_PORT:-2525}
WORK=smtp/target/bench
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
JFR="$WORK/profile.jfr"

. smtp/bench/sink.sh
start_sink "$PORT"

rm -f "$JFR"
mvn -q -o -Pbench -pl smtp -am test -DskipTests \
  -Dbench.jvm="-Xmx512m -Dbench.sinkPid=$SINK_PID -Dbench.jfr=$JFR" \
  -Dbench.args="127.0.0.1 $PORT only $CLIENT $CONNECTIONS $COUNT $PDF" 2>&1 | grep -v "Started recording\|Use jcmd\|jfr,startup\|^$" || true

summary() {
  # $1: event, $2: how many frames of each stack to look at, $3: filter for the frame to count
  jfr print --events "$1" --stack-depth 64 "$JFR" | awk -v depth="$2" -v filter="$3" '
    /stackTrace = \[/ { inStack = 1; n = 0; counted = 0; total++; next }
    inStack && /^[[:space:]]*\]/ { inStack = 0; next }
    inStack {
      line = $0; sub(/^[[:space:]]+/, "", line); sub(/[[:space:]]+line:.*$/, "", line)
      n++
      if (!counted && n <= depth && (filter == "" || (line ~ filter && line !~ /smtp\.bench\./))) { hits[line]++; counted = 1 }
    }
    END {
      for (m in hits) printf "%6.1f%%  %s\n", 100 * hits[m] / total, m
      printf "(%d samples)\n", total > "/dev/stderr"
    }' | sort -rn | head -25 || true
}

echo
echo "== CPU: hottest methods (self)"
summary jdk.ExecutionSample 1 ""
echo
echo "== CPU: first Mailroom, Angus or benchmark frame of each sample (inclusive of what it calls in the JDK)"
summary jdk.ExecutionSample 64 "^(dev\\.mailroom|org\\.eclipse\\.angus|jakarta\\.mail)"
echo
echo "== Allocations: first Mailroom, Angus or benchmark frame (jdk.ObjectAllocationSample, sampled by size)"
summary jdk.ObjectAllocationSample 64 "^(dev\\.mailroom|org\\.eclipse\\.angus|jakarta\\.mail)"
