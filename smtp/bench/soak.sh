#!/usr/bin/env bash
# Soak test of the SMTP sender (not part of the normal build): 16 threads send 20,000 messages through one
# Mailer (8 connections) to a local sink on 127.0.0.1 that drops 1% of connections and of transactions and
# answers 1% of transactions with 451; every message must be delivered exactly once or reported failed.
# Figures: testkit/target/soak-results.txt. Options: -Dsoak.threads=16 -Dsoak.messages=20000
# -Dsoak.connections=8 -Dsoak.minutes=15 (passed to the test JVM through argLine).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -pl testkit -am verify -Dmaven.javadoc.skip=true -Dsurefire.excludedGroups=bench -Dtest=SmtpSoakTest \
  -Dsurefire.failIfNoSpecifiedTests=false -DargLine="-Xmx256m ${SOAK_OPTS:-}" "$@"
cat testkit/target/soak-results.txt
