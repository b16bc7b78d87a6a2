#!/usr/bin/env bash
# A throw-away Redis for tests, on a free loopback port. Source it:
#   source scripts/redis.sh; redis_start "$dir"; ...; redis_stop
# redis_start installs Debian's redis-server when missing, starts it (no persistence) and exports REDIS_PORT, REDIS_PID
# and REDIS_CONN (127.0.0.1:<port>). redis_stop kills REDIS_PID.
# (Stand-in written on the deploy branch with the agreed interface; the Redis branch's version replaces it.)

_redis_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
_redis_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

redis_start() {
  local dir=$1
  if ! command -v redis-server >/dev/null; then
    echo "== installing Debian's redis-server"
    export DEBIAN_FRONTEND=noninteractive
    _redis_as_root apt-get install -y --no-install-recommends redis-server >/dev/null 2>&1 \
      || { _redis_as_root apt-get update -qq && _redis_as_root apt-get install -y --no-install-recommends redis-server >/dev/null; } \
      || { echo "could not install redis-server (needs root or passwordless sudo)" >&2; return 1; }
  fi
  mkdir -p "$dir"
  REDIS_PORT=$(_redis_free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$dir" \
    >"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  local i
  for i in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    kill -0 "$REDIS_PID" 2>/dev/null || { cat "$dir/redis.log" >&2; return 1; }
    sleep 0.1
  done
  REDIS_CONN="127.0.0.1:$REDIS_PORT"
  export REDIS_PORT REDIS_PID REDIS_CONN
}

redis_stop() {
  [ -n "${REDIS_PID:-}" ] || return 0
  kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  REDIS_PID=
}
