#!/usr/bin/env bash
# Feed under load: 100,000 startup cards in `venture` and many investors (200 by default) asking
# for first feed pages in turn with wrk, next to the same server's /health/live (a hello-world
# endpoint) in the same run. The measured runs follow a warm-up (every investor's list built, the
# code at its final JIT tier), so they show a node in its steady state.
# Usage: bench/feed-load.sh [cards] [seconds] [viewers]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null
cards=${1:-100000}
seconds=${2:-20}
viewers=${3:-200}
port=5181
data=$(mktemp -d)
server=""
tokens=$(mktemp)
trap '[ -n "$server" ] && kill $server 2>/dev/null || true; rm -rf "$data" "$tokens"' EXIT

dotnet build -c Release -nologo -clp:ErrorsOnly bench/Pairwise.Benchmarks >/dev/null
Pairwise__DataDirectory="$data" dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll seed --market venture --side startup --profiles "$cards" 2>/dev/null | head -1

# Periodic jobs off: this measures the live ranking path, without the daily batch running beside it.
Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning Pairwise__RateLimits__AuthPerIpPerMinute=1000 Pairwise__BackgroundJobs=false \
  dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
start=$(date +%s)
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
echo "ready (index of $cards cards loaded) after $(( $(date +%s) - start )) s"

# The investors: each signs up and states what it looks for (industries and stages vary).
investor() {
  local n=$1 industries=("fintech" "ai" "climate" "healthtech" "edtech") stages=("seed" "series-a" "pre-seed")
  local token
  token=$(curl -sf -X POST "http://127.0.0.1:$port/v1/auth/signup" -H 'content-type: application/json' \
    -d "{\"email\":\"investor$n@example.com\",\"password\":\"load test passphrase\",\"displayName\":\"Investor $n\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  local a=${industries[$((n % 5))]} b=${industries[$(((n + 2) % 5))]} s=${stages[$((n % 3))]}
  curl -sf -X PUT "http://127.0.0.1:$port/v1/markets/venture/profiles/investor" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"attributes\":{\"industries\":[\"$a\",\"$b\"],\"fundingStages\":[\"$s\"],\"locations\":[\"Hong Kong\"]},\"preferences\":{\"industries\":[\"$a\",\"$b\"],\"fundingStages\":[\"$s\"],\"locations\":[\"Hong Kong\"],\"minFunding\":100000,\"maxFunding\":3000000}}" >/dev/null
  echo "$token"
}
export -f investor
export port
seq 1 "$viewers" | xargs -P 4 -I{} bash -c 'investor {}' > "$tokens"
token=$(head -1 "$tokens")
echo "$(wc -l < "$tokens") investors signed up"
curl -sf "http://127.0.0.1:$port/v1/markets/venture/feed" -H "authorization: Bearer $token" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("feed returns", len(d["items"]), "cards; top score", d["items"][0]["score"], "; source", d["source"])'

echo "== warm-up: every investor's first page (each builds its kept list), then ${seconds} s of load, not counted"
while read -r t; do curl -sf -o /dev/null "http://127.0.0.1:$port/v1/markets/venture/feed" -H "authorization: Bearer $t"; done < "$tokens"
FEED_TOKENS="$tokens" wrk -t2 -c16 -d"${seconds}s" --latency -s bench/feed-viewers.lua "http://127.0.0.1:$port/v1/markets/venture/feed" | grep -E 'Requests/sec|  99%'
echo "== hello world: GET /health/live"
wrk -t2 -c16 -d"${seconds}s" --latency "http://127.0.0.1:$port/health/live" | grep -E 'Requests/sec|  50%|  99%|Latency  '
echo "== feed: GET /v1/markets/venture/feed, $viewers investors in turn (first pages; each investor's list is built on its first)"
FEED_TOKENS="$tokens" wrk -t2 -c16 -d"${seconds}s" --latency -s bench/feed-viewers.lua "http://127.0.0.1:$port/v1/markets/venture/feed" | grep -E 'Requests/sec|  50%|  99%|Latency  |Non-2xx'
echo "== feed, one client at a time (no queueing behind the other requests):"
FEED_TOKENS="$tokens" wrk -t1 -c1 -d"${seconds}s" --latency -s bench/feed-viewers.lua "http://127.0.0.1:$port/v1/markets/venture/feed" | grep -E 'Requests/sec|  50%|  99%|Latency  |Non-2xx'
echo "== the same viewers' kept lists, as the server counted them:"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^pairwise_feed_duration_seconds_(count|sum)' | sed -E 's/\{[^}]*source="([a-z]+)"[^}]*\}/ \1/'
