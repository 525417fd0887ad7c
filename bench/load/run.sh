#!/usr/bin/env bash
# The mixed load run: a fresh data folder seeded with `pairwise seed` (venture: N startups and
# N investors with their cards), the Release server with periodic jobs off, then the load client:
# first the hello-world endpoint, then the session mix, each with U virtual users for S seconds.
# Usage: bench/load/run.sh [profiles] [virtual users] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
profiles=${1:-20000}
users=${2:-64}
seconds=${3:-30}
port=5183
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

dotnet build -c Release -nologo -v quiet bench/Pairwise.Benchmarks
pairwise="dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll"
seeded=$(Pairwise__DataDirectory="$data" $pairwise seed --market venture --profiles "$profiles" 2>/dev/null)
echo "$seeded"
run=$(echo "$seeded" | grep -oE 'startup0\.[a-z0-9]+@' | head -1 | sed 's/startup0\.//; s/@//')
Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning Pairwise__BackgroundJobs=false \
  Pairwise__RateLimits__AuthPerIpPerMinute=1000000 Pairwise__RateLimits__LoginsPerAccount=1000000 Pairwise__RateLimits__SendBurst=1000000 Pairwise__RateLimits__SendsPerMinute=1000000 \
  $pairwise --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
dotnet bench/Pairwise.Benchmarks/bin/Release/net10.0/Pairwise.Benchmarks.dll load "http://127.0.0.1:$port" "$run" "$users" "$seconds"
