#!/usr/bin/env bash
# Source this file, then:
#   redis_start <dir>   installs Debian's redis-server when missing, starts one on a free loopback port (no persistence,
#                       its log and pid in <dir>), waits until it answers, and exports REDIS_PORT, REDIS_PID and
#                       REDIS_CONN (a StackExchange.Redis configuration string: 127.0.0.1:<port>, for Realtime:Redis).
#   redis_stop          stops that server by REDIS_PID (TERM, then KILL), never by name.
# Needs root or passwordless sudo only when redis-server has to be installed.

redis__as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

redis__install() {
  command -v redis-server >/dev/null 2>&1 && return 0
  echo "== installing Debian's redis-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! redis__as_root apt-get install -y --no-install-recommends redis-server >/dev/null 2>&1; then
    redis__as_root apt-get update -qq && redis__as_root apt-get install -y --no-install-recommends redis-server >/dev/null \
      || { echo "could not install redis-server (needs root or passwordless sudo)" >&2; return 1; }
  fi
}

redis__free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

redis_start() {
  local dir=${1:?usage: redis_start <dir>}
  redis__install || return 1
  mkdir -p "$dir"
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(redis__free_port)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
      --dir "$dir" --logfile "$dir/redis.log" &
    REDIS_PID=$!
    local deadline=$((SECONDS + 10))
    while [ $SECONDS -lt $deadline ] && kill -0 "$REDIS_PID" 2>/dev/null; do
      if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        export REDIS_PORT=$port REDIS_PID REDIS_CONN="127.0.0.1:$port"
        echo "$REDIS_PID" >"$dir/redis.pid"
        return 0
      fi
      sleep 0.1
    done
    # The port was taken meanwhile, or the server did not come up: stop this one (by its pid) and try another port.
    kill "$REDIS_PID" 2>/dev/null; wait "$REDIS_PID" 2>/dev/null
  done
  echo "redis-server did not start (see $dir/redis.log)" >&2
  unset REDIS_PID
  return 1
}

redis_stop() {
  [ -n "${REDIS_PID:-}" ] || return 0
  # Only while that pid is still our redis-server (a check may have killed it, and the pid been reused since).
  if kill -0 "$REDIS_PID" 2>/dev/null && tr '\0' ' ' <"/proc/$REDIS_PID/cmdline" 2>/dev/null | grep -q redis-server; then
    kill "$REDIS_PID" 2>/dev/null
    local deadline=$((SECONDS + 5))
    while [ $SECONDS -lt $deadline ] && kill -0 "$REDIS_PID" 2>/dev/null; do sleep 0.1; done
    kill -9 "$REDIS_PID" 2>/dev/null
  fi
  wait "$REDIS_PID" 2>/dev/null
  unset REDIS_PID REDIS_PORT REDIS_CONN
}
