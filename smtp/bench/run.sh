#!/usr/bin/env bash
# SMTP benchmarks (not part of the normal build; see smtp/bench/RESULTS.md):
#
#   bash smtp/bench/run.sh [plain|tls|large|all] [texts pdfs rounds [reconnects]]
#
#   plain  Mailroom (Mailer.send), raw Angus and Postfix's C client smtp-source, in alternating rounds, into
#          smtp-sink on 127.0.0.1: 1 KB text and 100 KB PDF, one and four connections. Defaults 5000 1000 5.
#   tls    Mailroom and raw Angus (careful set-up) through stunnel (STARTTLS and implicit TLS, verified
#          certificate made here) in front of smtp-sink, kept connections and a new connection per
#          message. Defaults 2000 500 5 40.
#   large  one 50 MB attachment from a file under -Xmx64m.
#   all    (the default) plain, then tls, then large.
#
# BENCH_JVM_EXTRA adds JVM options to the benchmark's JVM, e.g. BENCH_JVM_EXTRA=-Dbench.clients=mailroom,smtp-source
# (only those clients; the names without blanks) or a flight recording (-XX:StartFlightRecording=...).
#
# Installs what is missing with apt-get (Debian's postfix for smtp-sink and smtp-source, stunnel4, openssl;
# needs root or sudo). Prints the machine's load before and after: the machine may be shared, so compare the
# ratios measured in one run, not absolute figures between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."

WHAT=${1:-all}
shift || true
PORT=${BENCH_PORT:-2525}
STARTTLS_PORT=${BENCH_STARTTLS_PORT:-2587}
IMPLICIT_PORT=${BENCH_IMPLICIT_PORT:-2465}
WORK=smtp/target/bench
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

need=()
[ -x /usr/sbin/smtp-sink ] || command -v smtp-sink >/dev/null || need+=(postfix)
[ -x /usr/sbin/smtp-source ] || command -v smtp-source >/dev/null || need+=(postfix)
command -v stunnel4 >/dev/null || command -v stunnel >/dev/null || need+=(stunnel4)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
STUNNEL=$(command -v stunnel4 || command -v stunnel)

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

USER_OPT=()
if [ "$(id -u)" = 0 ]; then USER_OPT=(-u postfix); fi
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
  echo "something already listens on 127.0.0.1:$PORT (a sink left over from an earlier run?): stop it first" >&2
  exit 1
fi
"$SINK" "${USER_OPT[@]}" 127.0.0.1:"$PORT" 256 &
SINK_PID=$!
pids+=("$SINK_PID")

# a certificate for localhost and 127.0.0.1, trusted through a trust store made for this run only
if [ ! -f "$WORK/cert.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
  rm -f "$WORK/truststore.p12"
fi
if [ ! -f "$WORK/truststore.p12" ]; then
  keytool -importcert -noprompt -alias bench -file "$WORK/cert.pem" -keystore "$WORK/truststore.p12" \
    -storetype PKCS12 -storepass changeit >/dev/null
fi
: > "$WORK/stunnel.log"
cat > "$WORK/stunnel.conf" <<EOF
foreground = yes
pid =
debug = 6
output = $WORK/stunnel.log
[starttls]
accept = 127.0.0.1:$STARTTLS_PORT
connect = 127.0.0.1:$PORT
protocol = smtp
cert = $WORK/cert.pem
key = $WORK/key.pem
[implicit]
accept = 127.0.0.1:$IMPLICIT_PORT
connect = 127.0.0.1:$PORT
cert = $WORK/cert.pem
key = $WORK/key.pem
EOF
if [ "$WHAT" = tls ] || [ "$WHAT" = all ]; then
  "$STUNNEL" "$WORK/stunnel.conf" >"$WORK/stunnel.out" 2>&1 &
  pids+=("$!")
fi
sleep 1

JVM="-Xmx512m -Dbench.sinkPid=$SINK_PID -Dbench.smtpSource=$SOURCE -Dbench.stunnelLog=$WORK/stunnel.log"
JVM="$JVM ${BENCH_JVM_EXTRA:-} -Djavax.net.ssl.trustStore=$WORK/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit"

bench() {
  mvn -q -o -Pbench -pl smtp -am test -DskipTests -Dbench.jvm="$1" -Dbench.args="$2"
}

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
case "$WHAT" in
  plain|all)
    echo "== plain: Mailroom, raw Angus, smtp-source into smtp-sink"
    bench "$JVM" "127.0.0.1 $PORT ${1:-5000} ${2:-1000} ${3:-5}" ;;
esac
case "$WHAT" in
  tls|all)
    echo "== TLS: Mailroom and raw Angus through stunnel"
    if [ "$WHAT" = all ]; then set --; fi
    bench "$JVM" "127.0.0.1 $PORT tls $STARTTLS_PORT $IMPLICIT_PORT ${1:-2000} ${2:-500} ${3:-5} ${4:-40}" ;;
esac
case "$WHAT" in
  large|all)
    echo "== one 50 MB attachment from a file under -Xmx64m"
    bench "-Xmx64m" "127.0.0.1 $PORT large" ;;
esac
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
