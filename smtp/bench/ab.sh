#!/usr/bin/env bash
# Before/after on a shared machine: Mailroom built from another commit (A) and from this work tree (B), each
# case measured in alternating runs of separate JVMs against the same smtp-sink, medians reported. Absolute
# figures drift with the machine's load; the A/B ratio measured this way does not.
#
#   bash smtp/bench/ab.sh BASE_COMMIT [runs] [texts] [pdfs]      defaults: 5 runs, 20000 texts, 2000 PDFs
#
# The base is checked out (detached) in smtp/target/bench/ab-base and built there with the reactor; it must
# contain SmtpBenchmark's "only" mode (any commit of issue 16 does).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

BASE=${1:?usage: ab.sh BASE_COMMIT [runs] [texts] [pdfs]}
RUNS=${2:-5}
TEXTS=${3:-20000}
PDFS=${4:-2000}
PORT=${BENCH_PORT:-2525}
WORK=$ROOT/smtp/target/bench
BASEDIR=$WORK/ab-base
mkdir -p "$WORK"

if [ -d "$BASEDIR" ]; then
  git -C "$BASEDIR" checkout -q --detach "$BASE"
else
  git worktree add -q --detach "$BASEDIR" "$BASE"
fi
(cd "$BASEDIR" && mvn -q -o -pl smtp -am test-compile)
mvn -q -o -pl smtp -am test-compile

. smtp/bench/sink.sh
start_sink "$PORT"

classpath() {  # the benchmark's class path in work tree $1, as the bench profile's exec plugin builds it
  (cd "$1" && mvn -X -o -Pbench -pl smtp -am test -DskipTests -Dbench.jvm=-Xmx64m \
    -Dbench.args="127.0.0.1 1 only none 1 1 false" 2>&1) | grep -m1 "Executing command line" \
    | sed 's/.*-classpath, //; s/, dev.mailroom.*//' || true
}
CP_A=$(classpath "$BASEDIR")
CP_B=$(classpath "$ROOT")

one() {  # classpath connections count pdf -> "msg/s cpu"
  java -Xmx512m -Dbench.sinkPid="$SINK_PID" -classpath "$1" dev.mailroom.smtp.bench.SmtpBenchmark \
    127.0.0.1 "$PORT" only mailroom "$2" "$3" "$4" 2>/dev/null \
    | awk '/msg\/s/ { for (i = 1; i <= NF; i++) { if ($i == "msg/s") r = $(i-1); if ($i == "us") c = $(i-1) } }
           END { print r, c }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "A = $BASE ($(git -C "$BASEDIR" log --oneline -1 | cut -c1-60)), B = work tree ($(git log --oneline -1 | cut -c1-60))"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
echo
echo "| case (medians of $RUNS alternating runs) | A msg/s | B msg/s | A CPU us/msg | B CPU us/msg | B/A msg/s | A/B CPU |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for c in "1 $TEXTS false" "1 $PDFS true" "4 $TEXTS false" "4 $PDFS true"; do
  set -- $c
  : > "$WORK/ab-a.txt"
  : > "$WORK/ab-b.txt"
  for r in $(seq "$RUNS"); do
    if [ $((r % 2)) = 1 ]; then
      one "$CP_A" "$@" >> "$WORK/ab-a.txt"
      one "$CP_B" "$@" >> "$WORK/ab-b.txt"
    else
      one "$CP_B" "$@" >> "$WORK/ab-b.txt"
      one "$CP_A" "$@" >> "$WORK/ab-a.txt"
    fi
  done
  ar=$(cut -d' ' -f1 "$WORK/ab-a.txt" | median); br=$(cut -d' ' -f1 "$WORK/ab-b.txt" | median)
  ac=$(cut -d' ' -f2 "$WORK/ab-a.txt" | median); bc=$(cut -d' ' -f2 "$WORK/ab-b.txt" | median)
  name="$1 connection(s), $([ "$3" = true ] && echo "100 KB PDF" || echo "1 KB text")"
  awk -v n="$name" -v ar="$ar" -v br="$br" -v ac="$ac" -v bc="$bc" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.1f | %.1f | %.2fx | %.2fx |\n", n, ar, br, ac, bc, br / ar, ac / bc }'
done
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
