# A throwaway PostgreSQL cluster for tests and benchmarks. Source it, then:
#   pg_start <dir>   installs Debian's postgresql when no initdb is found, initdb's a cluster in <dir> as an unprivileged
#                    user, starts it on a free loopback port and exports PG_PORT, PG_PID, PG_DATA, PG_BIN and PG_CONN (an
#                    Npgsql connection string for the superuser `postgres`, database `postgres`, trust on 127.0.0.1 only)
#   pg_stop          stops that cluster by its own process id (pg_ctl stop -m fast, then kill by pid)
# The cluster trades durability for speed (fsync, full_page_writes and synchronous_commit off): it holds test data only.
# Never touches the system's own PostgreSQL service.

_pg_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

_pg_bin() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && dirname "$initdb"
}

_pg_install() {
  echo "== installing Debian's postgresql (no initdb found)" >&2
  export DEBIAN_FRONTEND=noninteractive
  # No 'main' cluster and no service: this script runs its own clusters.
  _pg_as_root mkdir -p /etc/postgresql-common
  [ -e /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" | _pg_as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  local opts=(-y --no-install-recommends -o Dpkg::Options::=--force-confold)
  _pg_as_root apt-get install "${opts[@]}" postgresql >/dev/null 2>&1 \
    || { _pg_as_root apt-get update -qq && _pg_as_root apt-get install "${opts[@]}" postgresql >/dev/null; }
}

# Runs a command as the cluster's owner: ourselves, or the `postgres` user when we are root (initdb refuses root).
_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

pg_start() {
  local dir=${1:?usage: pg_start <dir>}
  PG_BIN=$(_pg_bin)
  if [ -z "$PG_BIN" ]; then
    _pg_install || { echo "could not install postgresql (needs root or passwordless sudo)" >&2; return 1; }
    PG_BIN=$(_pg_bin)
    [ -n "$PG_BIN" ] || { echo "postgresql installed but no initdb found" >&2; return 1; }
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  PG_DATA="$dir/pgdata"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
    chown postgres "$dir"
    # The owner must reach the folder: let it through the parents (temp folders are often mode 700).
    local parent=$dir
    while [ "$parent" != "/" ]; do
      runuser -u postgres -- test -x "$parent" 2>/dev/null || chmod o+x "$parent"
      parent=$(dirname "$parent")
    done
  fi
  _pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { echo "initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 1; }
  local attempt
  for attempt in 1 2 3 4 5; do
    PG_PORT=$(_pg_free_port) || { echo "no free port" >&2; return 1; }
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/postgres.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='' -c max_connections=300 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" >/dev/null; then
      break
    fi
    # pg_ctl gave up waiting, but the server may still be coming up: stop it by its own pid before trying again.
    if [ -s "$PG_DATA/postmaster.pid" ]; then
      local leftover
      leftover=$(head -n 1 "$PG_DATA/postmaster.pid")
      if [ -n "$leftover" ] && tr '\0' ' ' <"/proc/$leftover/cmdline" 2>/dev/null | grep -q postgres; then
        kill -9 "$leftover" 2>/dev/null
        while kill -0 "$leftover" 2>/dev/null; do sleep 0.1; done
      fi
      rm -f "$PG_DATA/postmaster.pid"
    fi
    [ "$attempt" -eq 5 ] && { echo "postgres did not start:" >&2; tail -n 20 "$dir/postgres.log" >&2; return 1; }
  done
  PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
  PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  export PG_PORT PG_PID PG_DATA PG_BIN PG_CONN
  echo "== postgres $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (pid $PG_PID)" >&2
}

pg_stop() {
  [ -n "${PG_PID:-}" ] || return 0
  if kill -0 "$PG_PID" 2>/dev/null; then
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    if kill -0 "$PG_PID" 2>/dev/null; then kill -9 "$PG_PID" 2>/dev/null || true; fi
  fi
  unset PG_PID
}
