#!/usr/bin/env bash
# Sourced by profile.sh and ab.sh: `start_sink PORT` starts Postfix's smtp-sink on 127.0.0.1:PORT (installing
# Debian's postfix first if it is missing; needs root or sudo), sets SINK_PID and stops the sink on exit.
start_sink() {
  local sink sudo=""
  local user_opt=()
  sink=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
  if [ ! -x "$sink" ]; then
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postfix
  fi
  if [ "$(id -u)" = 0 ]; then user_opt=(-u postfix); fi
  if (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; then
    echo "something already listens on 127.0.0.1:$1 (a sink left over from an earlier run?): stop it first" >&2
    exit 1
  fi
  "$sink" "${user_opt[@]}" 127.0.0.1:"$1" 256 &
  SINK_PID=$!
  trap 'kill "$SINK_PID" 2>/dev/null || true' EXIT
  sleep 1
}
