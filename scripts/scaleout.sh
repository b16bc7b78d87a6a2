#!/usr/bin/env bash
# The scale-out step of the test command: the district topology of deploy/compose.yaml without containers.
# PostgreSQL and Redis (scripts/postgres.sh, scripts/redis.sh) and two instances, A and B, of the published Release build on free
# loopback ports, one shared photo folder, and deploy/nginx.conf in front of both (its upstream addresses, port and
# paths replaced); then tests/DispatchBoard.ScaleOut against them, writing TestResults/DispatchBoard.ScaleOut.trx.
# Everything it starts it stops by process id in the EXIT trap, whatever fails. Expects a built solution (Release).
# Usage: scripts/scaleout.sh [results-folder]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results=${1:-$root/TestResults}
started=$(date +%s)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# shellcheck source=postgres.sh
source "$root/scripts/postgres.sh"
# shellcheck source=redis.sh
source "$root/scripts/redis.sh"

work=$(mktemp -d /tmp/dispatchboard-scaleout.XXXXXX)
chmod 755 "$work"
app_pids=()
nginx_pid=
restarted_redis="$work/redis-restarted.pid"

stop_pid() { # stop_pid PID WHAT: TERM, up to 10 s, then KILL; only while PID is still WHAT (a check may have killed it and its pid been reused)
  local pid=$1 what=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$what" || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}

cleanup() {
  local code=$? pid
  for pid in "${app_pids[@]}"; do stop_pid "$pid" DispatchBoard.Web; done
  [ -n "$nginx_pid" ] && stop_pid "$nginx_pid" nginx
  [ -s "$restarted_redis" ] && stop_pid "$(cat "$restarted_redis")" redis-server
  redis_stop
  pg_stop
  if [ "$code" -ne 0 ]; then
    for log in "$work"/app-*.log "$work"/nginx/error.log; do
      [ -s "$log" ] && { echo "--- last lines of $log"; tail -n 40 "$log"; }
    done
  fi
  rm -rf "$work"
  echo "scale-out step: $(( $(date +%s) - started )) s"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "scale-out: $*" >&2; exit 1; }

# The published output, as in the image: outside Development only a publish serves the static assets (blazor.web.js,
# MudBlazor); --no-build copies the Release build the test command made.
dotnet publish src/DispatchBoard.Web -c Release --no-build --nologo -v quiet -o "$work/app" >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; fail "could not publish the Release build (build the solution in Release first)"; }
dll="$work/app/DispatchBoard.Web.dll"

echo "== scale-out: PostgreSQL and Redis in $work"
pg_start "$work/pg" || fail "PostgreSQL did not start"
redis_start "$work/redis" || fail "Redis did not start"

# psql reaches the cluster with the parts of PG_CONN (an Npgsql connection string).
conn_part() { tr ';' '\n' <<<"$PG_CONN" | sed -n "s/^ *$1 *= *//Ip" | head -n 1; }
pg_host=$(conn_part host); pg_user=$(conn_part 'user\(name\| id\)\?'); pg_password=$(conn_part password)
psql_bin=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
[ -x "$psql_bin" ] || psql_bin=$(command -v psql)
export PGPASSWORD="$pg_password"
database=dispatch_scaleout
"$psql_bin" "host=${pg_host:-127.0.0.1} port=$PG_PORT user=${pg_user:-postgres} dbname=postgres" -X -q -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE $database" || fail "could not create the database"
app_conn=$(sed -E "s/(^|;) *Database *= *[^;]*/\1Database=$database/I" <<<"$PG_CONN")
grep -qi 'Database=' <<<"$app_conn" || app_conn="$app_conn;Database=$database"

photos="$work/photos"
mkdir -p "$photos"
key=$(python3 -c 'import os, base64; print(base64.b64encode(os.urandom(32)).decode())')
port_a=$(free_port); port_b=$(free_port); port_nginx=$(free_port)

start_instance() { # start_instance NAME PORT: the Release build, Production-like, on the shared database, Redis and photos
  local name=$1 port=$2 day
  local settings=(
    ASPNETCORE_ENVIRONMENT=Production
    "Urls=http://127.0.0.1:$port"
    Database__Provider=Postgres
    "ConnectionStrings__Dispatch=$app_conn"
    "Realtime__Redis=$REDIS_CONN"
    "Photos__Folder=$photos"
    "DataProtection__KeyEncryptionKey=$key"
    Network__KnownProxies__0=127.0.0.1
    Demo__Seed=true Demo__Password=ScaleOut-Password-1
    Intake__PermitLimit=100000 Intake__OverallPermitLimit=100000 Intake__TrackingMissLimit=100000
    "School__Name=Riverside School"
    # Rounds for "this week" whatever day the step runs on, and a school that never closes (as the E2E suite).
    "Inspections__Schedule=* * * * *"
    Calendar__Semesters__0__Name="Autumn 2026" Calendar__Semesters__0__StartsOn=2026-09-01 Calendar__Semesters__0__EndsOn=2027-01-22
    Calendar__Semesters__1__Name="Spring 2027" Calendar__Semesters__1__StartsOn=2027-02-22 Calendar__Semesters__1__EndsOn=2027-07-02
    Logging__LogLevel__Default=Warning "Logging__LogLevel__Microsoft.AspNetCore=Warning"
  )
  for day in Sunday Monday Tuesday Wednesday Thursday Friday Saturday; do
    settings+=("Calendar__WorkingHours__${day}__0=00:00-24:00" "Calendar__Bells__${day}__0=closed")
  done
  mkdir -p "$work/$name"
  # Both from the one published folder (its appsettings.json is the content root's), as two containers of one image.
  (cd "$work/$name" && exec env "${settings[@]}" dotnet "$dll" --contentRoot "$(dirname "$dll")") >"$work/app-$name.log" 2>&1 &
  app_pids+=("$!")
  eval "pid_$name=$!"
}

echo "== scale-out: instances A (:$port_a) and B (:$port_b), started at once"
start_instance a "$port_a"
start_instance b "$port_b"

wait_ready() { # wait_ready NAME PORT PID
  local deadline=$(( $(date +%s) + 180 ))
  until curl -fs -o /dev/null "http://127.0.0.1:$2/health/ready"; do
    kill -0 "$3" 2>/dev/null || fail "instance $1 stopped while starting (see its log below)"
    [ "$(date +%s)" -lt "$deadline" ] || fail "instance $1 was not ready within 180 s"
    sleep 0.5
  done
}
wait_ready A "$port_a" "$pid_a"
wait_ready B "$port_b" "$pid_b"
echo "   both ready after $(( $(date +%s) - started )) s"

# nginx: the system's, or Debian's package unpacked into the temp folder (installing it would start a system service).
nginx_bin=$(command -v nginx || true)
if [ -z "$nginx_bin" ]; then
  echo "== scale-out: unpacking Debian's nginx into $work"
  ( cd "$work" && apt-get download nginx >/dev/null 2>&1 || { as_root apt-get update -qq && apt-get download nginx >/dev/null; } ) \
    || fail "could not download Debian's nginx"
  dpkg-deb -x "$work"/nginx_*.deb "$work/nginx-root" || fail "could not unpack nginx"
  nginx_bin="$work/nginx-root/usr/sbin/nginx"
fi
mkdir -p "$work/nginx"
sed -e "s#server app-a:8080#server 127.0.0.1:$port_a#" \
    -e "s#server app-b:8080#server 127.0.0.1:$port_b#" \
    -e "s#listen 80;#listen 127.0.0.1:$port_nginx;#" \
    -e "s#/var/run/nginx.pid#$work/nginx/nginx.pid#" \
    -e "s#/var/log/nginx/#$work/nginx/#g" \
    -e "s#^http {#http {\n    client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;\n    fastcgi_temp_path $work/nginx/fastcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;#" \
    "$root/deploy/nginx.conf" >"$work/nginx/nginx.conf"
grep -q "127.0.0.1:$port_a" "$work/nginx/nginx.conf" && grep -q "127.0.0.1:$port_b" "$work/nginx/nginx.conf" \
  && grep -q "listen 127.0.0.1:$port_nginx;" "$work/nginx/nginx.conf" || fail "deploy/nginx.conf no longer has the lines this script replaces"
"$nginx_bin" -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" || fail "nginx -t refused deploy/nginx.conf"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
deadline=$(( $(date +%s) + 20 ))
until curl -fs -o /dev/null "http://127.0.0.1:$port_nginx/health/ready"; do
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx stopped while starting"
  [ "$(date +%s)" -lt "$deadline" ] || fail "nginx did not answer within 20 s"
  sleep 0.2
done

echo "== DispatchBoard.ScaleOut (nginx :$port_nginx in front)"
mkdir -p "$results"
rm -f "$results/scaleout.txt"
SCALEOUT_URL_A="http://127.0.0.1:$port_a" SCALEOUT_URL_B="http://127.0.0.1:$port_b" \
SCALEOUT_URL_NGINX="http://127.0.0.1:$port_nginx" \
SCALEOUT_PID_A="$pid_a" SCALEOUT_PID_B="$pid_b" \
SCALEOUT_REDIS_PID="$REDIS_PID" SCALEOUT_REDIS_PORT="$REDIS_PORT" SCALEOUT_REDIS_PIDFILE="$restarted_redis" \
SCALEOUT_REDIS_SERVER="$(command -v redis-server)" \
SCALEOUT_PSQL="$psql_bin" SCALEOUT_PSQL_CONNINFO="host=${pg_host:-127.0.0.1} port=$PG_PORT user=${pg_user:-postgres} dbname=$database" \
SCALEOUT_RESULTS="$results" \
  dotnet test tests/DispatchBoard.ScaleOut -c Release --no-build --nologo --blame-hang-timeout 10m \
    --logger "trx;LogFileName=DispatchBoard.ScaleOut.trx" --logger "console;verbosity=normal" ${SCALEOUT_FILTER:+--filter "$SCALEOUT_FILTER"} --results-directory "$results"
status=$?
[ -f "$results/scaleout.txt" ] && sed 's/^/   /' "$results/scaleout.txt"
exit "$status"
