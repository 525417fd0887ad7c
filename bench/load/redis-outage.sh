#!/usr/bin/env bash
# Redis stopped during a load run: the mixed session against a node configured with Redis
# (HybridCache L2, SignalR backplane, change stream); redis-server is killed at second 10 and
# started again at second 20. Prints each second's requests, errors and latency.
# Usage: bench/load/redis-outage.sh [profiles] [virtual users] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
profiles=${1:-5000}
users=${2:-32}
seconds=${3:-30}
port=5184
redis_port=6391
data=$(mktemp -d)
server=""; redis=""; outage=""
trap 'for p in $server $redis $outage; do kill $p 2>/dev/null || true; done; pkill -f "redis-server 127.0.0.1:$redis_port" || true; rm -rf "$data"' EXIT

dotnet build -c Release -nologo -v quiet bench/Pairwise.Benchmarks
pairwise="dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll"
seeded=$(Pairwise__DataDirectory="$data" $pairwise seed --market venture --profiles "$profiles" 2>/dev/null)
run=$(echo "$seeded" | grep -oE 'startup0\.[a-z0-9]+@' | head -1 | sed 's/startup0\.//; s/@//')
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
redis=$!
Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Error Pairwise__BackgroundJobs=false ConnectionStrings__Redis="127.0.0.1:$redis_port" \
  Pairwise__RateLimits__AuthPerIpPerMinute=1000000 Pairwise__RateLimits__LoginsPerAccount=1000000 Pairwise__RateLimits__SendBurst=1000000 Pairwise__RateLimits__SendsPerMinute=1000000 \
  $pairwise --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done

# The outage, timed from the start of the load client's session (it sets up its users first).
( while [ ! -f "$data/started" ]; do sleep 0.1; done
  sleep 9.5
  echo "[second 9] redis: $(redis-cli -p $redis_port dbsize) keys, $(redis-cli -p $redis_port info memory | grep -E '^used_memory:' | tr -d '\r'), stream entries $(redis-cli -p $redis_port xlen pairwise:listing-changes)" >&2
  sleep 0.5; kill -9 "$redis"; echo "[second 10] redis-server killed" >&2
  sleep 10; redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
  echo "[second 20] redis-server started again" >&2
  back=$(date +%s%N)
  until redis-cli -p $redis_port client list 2>/dev/null | grep -q "name=pairwise"; do sleep 0.05; done
  echo "[second 20] the node reconnected after $(( ($(date +%s%N) - back) / 1000000 )) ms" >&2 ) &
outage=$!
dotnet bench/Pairwise.Benchmarks/bin/Release/net10.0/Pairwise.Benchmarks.dll load "http://127.0.0.1:$port" "$run" "$users" "$seconds" --timeline \
  | while IFS= read -r line; do
      [[ "$line" == "mixed session:"* ]] && touch "$data/started"
      echo "$line"
    done
