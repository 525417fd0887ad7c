#!/usr/bin/env bash
# The web app's first load of the deck, cold, in headless Chromium (Debian's): the Release server
# on a fresh data folder with the demo data, the demo investor signed in, N runs each of the deck
# and of the floor (/health/live) in new browser contexts. Usage: bench/webapp-first-load.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
port=5185
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

dotnet build -c Release -nologo -v quiet bench/Pairwise.Benchmarks
Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning \
  dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll --demo --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
dotnet bench/Pairwise.Benchmarks/bin/Release/net10.0/Pairwise.Benchmarks.dll first-load "http://127.0.0.1:$port" investor@demo.pairwise.local 'pairwise demo' "$runs"
