#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests, on a free loopback port in a folder of the caller's. Source it:
#   source scripts/postgres.sh; pg_start "$dir"; ...; pg_stop
# pg_start installs Debian's postgresql when no initdb is found, initdb's a cluster in <dir> as an unprivileged user,
# starts it and exports PG_PORT, PG_PID, PG_DATA and PG_CONN (an Npgsql connection string for a superuser that can
# CREATE DATABASE, to database "postgres"). pg_stop stops it by PG_PID (pg_ctl stop -m fast, then kill by pid).
# (Stand-in written on the deploy branch with the agreed interface; the PostgreSQL branch's version replaces it.)

_pg_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
_pg_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

pg_start() {
  local dir=$1 bin user
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "== installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    _pg_as_root apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
      || { _pg_as_root apt-get update -qq && _pg_as_root apt-get install -y --no-install-recommends postgresql >/dev/null; } \
      || { echo "could not install postgresql (needs root or passwordless sudo)" >&2; return 1; }
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  mkdir -p "$dir"
  PG_DATA="$dir/data"
  PG_PORT=$(_pg_free_port)
  # initdb refuses root: the cluster belongs to the postgres user (or to the caller when not root).
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    chown "$user" "$dir"
    run=(runuser -u "$user" --)
  else
    user=$(id -un)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DATA" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
    || { cat "$dir/postgres.log" >&2; return 1; }
  PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
  PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres"
  _PG_BIN=$bin
  _PG_RUN=("${run[@]}")
  export PG_PORT PG_PID PG_DATA PG_CONN
}

pg_stop() {
  [ -n "${PG_PID:-}" ] || return 0
  if kill -0 "$PG_PID" 2>/dev/null; then
    "${_PG_RUN[@]}" "$_PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 20 stop >/dev/null 2>&1 || true
    kill -0 "$PG_PID" 2>/dev/null && kill -9 "$PG_PID" 2>/dev/null
  fi
  PG_PID=
}
