#!/usr/bin/env bash
# The whole test suite, on a fresh machine: builds with warnings as errors, installs and starts
# whatever servers the tests need, runs every test, stops the servers, and prints a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The embedded engine (SQLite) needs no server. Servers that later suites need (Redis,
# DynamoDB Local, SMTP, Chromium) are installed and started here, and stopped on exit.
cleanup() {
  for pid in "${SERVICE_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
}
SERVICE_PIDS=()
trap cleanup EXIT

# The official SignalR JavaScript client, which the real-time tests drive with node.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Installing node and npm (Debian) for the JavaScript client tests"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

results="$(pwd)/TestResults"
rm -rf "$results"

dotnet build Pairwise.slnx -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test Pairwise.slnx -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" || status=$?

# One plain summary line, whatever the runner printed.
trx="$results/results.trx"
if [ -f "$trx" ]; then
  passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | tr -dc '0-9')
  failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | tr -dc '0-9')
  echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
fi
exit "$status"
