#!/usr/bin/env bash
# The HTTP sender's benchmarks (issue 4, "Performance"), outside the normal build:
#  - 2,000 messages of 1 KB through the form dialect to a local HTTP server, against raw HttpClient posting
#    the same multipart bodies (sequential and 8 threads);
#  - where one sequential caller's time goes, per group of threads (CPU, wake-ups, run-queue wait; Linux only);
#  - the peak heap of sending a 50 MB attachment (form multipart and JSON base64) under -Xmx64m and -Xmx16m.
# Each runs in a JVM of its own with Mailroom on the module path. Figures: http/target/bench/results.txt.
# Usage: bash http/bench/run.sh            (from anywhere; BENCH_ROUNDS=N to change the rounds, default 11)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -Pbench -pl http -am test -Dtest=HttpBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rounds="${BENCH_ROUNDS:-11}"
echo "--- http/target/bench/results.txt"
cat http/target/bench/results.txt
