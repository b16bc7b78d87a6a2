#!/usr/bin/env bash
# Runs every test of DispatchBoard: unit, service, integration, bUnit and Playwright E2E, then the service and integration
# tests a second time on PostgreSQL, then the two-instance scale-out step (scripts/scaleout.sh). Installs what the tests
# need when it is missing (Debian's chromium for the browser tests and fonts-noto-cjk for its pages in Chinese, Debian's
# postgresql for the second run, redis-server for the cross-instance tests, which start their own on a free loopback port).
# The last line is the count from the TRX results: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/TestResults"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "== installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y --no-install-recommends chromium fonts-liberation >/dev/null 2>&1; then
    as_root apt-get update -qq && as_root apt-get install -y --no-install-recommends chromium fonts-liberation >/dev/null \
      || { echo "could not install chromium (needs root or passwordless sudo)"; echo "tests: 0 passed, 1 failed"; exit 1; }
  fi
fi

# The pages in Chinese (E2E, screenshots) need a CJK font: Debian's Noto CJK.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "== installing Debian's fonts-noto-cjk for the pages in Chinese"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y --no-install-recommends fontconfig fonts-noto-cjk >/dev/null 2>&1; then
    as_root apt-get update -qq && as_root apt-get install -y --no-install-recommends fontconfig fonts-noto-cjk >/dev/null \
      || { echo "could not install fonts-noto-cjk (needs root or passwordless sudo)"; echo "tests: 0 passed, 1 failed"; exit 1; }
  fi
fi

if ! command -v redis-server >/dev/null 2>&1; then
  # shellcheck source=scripts/redis.sh
  source "$root/scripts/redis.sh"
  redis__install || { echo "tests: 0 passed, 1 failed"; exit 1; }
fi

rm -rf "$results"
# The local tools (dotnet-tools.json): dotnet-ef, and Kiota for the generated-client test.
if ! dotnet tool restore >/dev/null; then
  echo "could not restore the local .NET tools (dotnet tool restore)"; echo "tests: 0 passed, 1 failed"; exit 1
fi
echo "== building"
if ! dotnet build DispatchBoard.sln -c Release -warnaserror -nologo -v quiet; then
  echo "build failed"; echo "tests: 0 passed, 1 failed"; exit 1
fi

status=0
expected_trx=3
for project in tests/DispatchBoard.Tests tests/DispatchBoard.Components.Tests tests/DispatchBoard.E2E; do
  name=$(basename "$project")
  echo "== $name"
  # A test that hangs is stopped and named (blame) instead of holding the run until CI's limit.
  # The tests that need a shared PostgreSQL server run in the PostgreSQL run below.
  E2E_SCREENSHOTS="$results/screenshots" dotnet test "$project" -c Release --no-build --nologo --blame-hang-timeout 10m \
    --filter "Database!=Postgres" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" \
    || status=1
done

# The service and integration tests again on PostgreSQL: a throwaway cluster (scripts/postgres.sh), a database per test
# made from a seeded template. Only the tests about SQLite itself (its backups and files) are left out of this run.
echo "== DispatchBoard.Tests on PostgreSQL"
expected_trx=$((expected_trx + 1))
source scripts/postgres.sh
pg_dir=$(mktemp -d /tmp/dispatchboard-pg.XXXXXX)
trap 'pg_stop; rm -rf "$pg_dir"' EXIT
if pg_start "$pg_dir"; then
  pg_started=$(date +%s)
  DISPATCH_TEST_POSTGRES="$PG_CONN" dotnet test tests/DispatchBoard.Tests -c Release --no-build --nologo --blame-hang-timeout 10m \
    --filter "Database!=Sqlite" --logger "trx;LogFileName=DispatchBoard.Tests.Postgres.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
  echo "PostgreSQL run: $(( $(date +%s) - pg_started )) s"
  echo "== benchmark smoke on PostgreSQL (reports over 2,000 tickets)"
  dotnet run -c Release --no-build --project benchmarks/DispatchBoard.Benchmarks -- --smoke --postgres "$PG_CONN" \
    || { echo "PostgreSQL benchmark smoke failed"; status=1; }
  pg_stop
else
  echo "could not start PostgreSQL for the second run"; status=1
fi

# Two instances on PostgreSQL and Redis behind nginx (deploy/): its own TRX, counted below; prints the time it adds.
expected_trx=$((expected_trx + 1))
bash scripts/scaleout.sh "$results" || status=1

echo "== benchmark smoke (reports over 2,000 tickets; the 100,000-ticket run is in the README)"
dotnet run -c Release --no-build --project benchmarks/DispatchBoard.Benchmarks -- --smoke || { echo "benchmark smoke failed"; status=1; }
echo "== benchmark smoke (Web Push fan-out to 20 devices; the 500-device run is in the README)"
dotnet run -c Release --no-build --project benchmarks/DispatchBoard.Benchmarks -- push --smoke || { echo "push benchmark smoke failed"; status=1; }
echo "== benchmark smoke (board events across two instances through a redis-server of its own; the 2,000-event run is in the README)"
dotnet run -c Release --no-build --project benchmarks/DispatchBoard.Benchmarks -- realtime --smoke || { echo "realtime benchmark smoke failed"; status=1; }
# The performance suite against its floors (README "Performance"): each once, small. It fails only when the suite
# itself does (a card, a report or a claim not accounted for), never on a ratio: a smoke measures nothing worth judging.
echo "== benchmark smoke (the suite against its floors: all, once, small)"
dotnet run -c Release --no-build --project benchmarks/DispatchBoard.Benchmarks -- all --smoke || { echo "benchmark suite smoke failed"; status=1; }

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$trx_count" -lt "$expected_trx" ]; then
  echo "only $trx_count of $expected_trx test runs produced results"; failed=$((failed + expected_trx - trx_count)); status=1
fi
# The failed tests by name, next to the count (a CI log is often read from its end).
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  # Each failed test's name, then the first lines of its message and stack trace (perl-base is in every Debian).
  TRX_NAME="$(basename "$trx" .trx)" perl -0777 -ne '
    while (/<UnitTestResult\b([^>]*?)(?:\/>|>(.*?)<\/UnitTestResult>)/sg) {
      my ($attrs, $body) = ($1, $2 // "");
      next unless $attrs =~ /outcome="Failed"/;
      my ($name) = $attrs =~ /testName="([^"]*)"/;
      print "failed in $ENV{TRX_NAME}: $name\n";
      for my $part (["Message", 8], ["StackTrace", 4]) {
        my ($text) = $body =~ /<$part->[0]>(.*?)<\/$part->[0]>/s or next;
        $text =~ s/&lt;/</g; $text =~ s/&gt;/>/g; $text =~ s/&quot;/"/g; $text =~ s/&apos;/\x27/g; $text =~ s/&#xD;//g; $text =~ s/&amp;/&/g;
        my @lines = grep { /\S/ } split /\r?\n/, $text;
        print "    $_\n" for @lines[0 .. ($#lines < $part->[1] - 1 ? $#lines : $part->[1] - 1)];
      }
    }' "$trx"
done
[ -f "$results/screenshots/latency.txt" ] && echo "E2E latency: $(tail -n 1 "$results/screenshots/latency.txt")"
echo "tests: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
