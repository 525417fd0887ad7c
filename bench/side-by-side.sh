#!/usr/bin/env bash
# The feed load, two commits side by side: BASE (any revision) and this checkout run as two
# servers at once, each on a folder it seeded itself (N startup cards, 200 investors), and take
# 10-second wrk runs in turn (A, B, A, B, …), so both see the machine's same slow and fast
# moments. This machine's speed drifts by ±30 % within an hour, more than most single changes:
# one before/after run of feed-load.sh is not evidence, alternating rounds are. Prints pages/s,
# the server's CPU per page (from /proc over each run) and latency, 16 connections then one.
# Usage: bench/side-by-side.sh BASE [rounds] [cards]
set -euo pipefail
cd "$(dirname "$0")/.."
base_rev=${1:?"name the commit to compare with (e.g. HEAD~1)"}
rounds=${2:-3}
cards=${3:-100000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  git worktree remove --force "$work/base" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git worktree add -q --detach "$work/base" "$base_rev"
echo "A = $(git -C "$work/base" log --oneline -1)"
echo "B = $(git log --oneline -1) (this checkout$(git diff --quiet HEAD || echo ', with its uncommitted changes'))"
for tree in "$work/base" .; do
  dotnet build -c Release -nologo -clp:ErrorsOnly "$tree/src/Pairwise" >/dev/null
done

# Each side seeds with its own binary (a change may touch how the store is written), one at a time.
start() { # tree port
  local data="$work/data.$2"
  Pairwise__DataDirectory="$data" dotnet "$1/src/Pairwise/bin/Release/net10.0/pairwise.dll" seed --market venture --side startup --profiles "$cards" >/dev/null 2>&1
  Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning Pairwise__RateLimits__AuthPerIpPerMinute=1000 Pairwise__BackgroundJobs=false \
    dotnet "$1/src/Pairwise/bin/Release/net10.0/pairwise.dll" --urls "http://127.0.0.1:$2" >/dev/null 2>&1 &
  pids+=($!)
}
start "$work/base" 5191
start . 5192

# The investors of feed-load.sh, on each server; every one's first page builds its kept list, then a warm-up load.
source <(sed -n '/^investor() {/,/^}/p' bench/feed-load.sh)
export -f investor
for port in 5191 5192; do
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
  export port
  seq 1 200 | xargs -P 4 -I{} bash -c 'investor {}' > "$work/tokens.$port"
  while read -r t; do curl -sf -o /dev/null "http://127.0.0.1:$port/v1/markets/venture/feed" -H "authorization: Bearer $t"; done < "$work/tokens.$port"
  FEED_TOKENS="$work/tokens.$port" wrk -t2 -c16 -d8s -s bench/feed-viewers.lua "http://127.0.0.1:$port/v1/markets/venture/feed" >/dev/null
done

measure() { # label pid port connections
  local before after requests out="$work/wrk.$3"
  before=$(awk '{print $14 + $15}' "/proc/$2/stat")
  FEED_TOKENS="$work/tokens.$3" wrk -t"$(( $4 > 1 ? 2 : 1 ))" -c"$4" -d10s --latency -s bench/feed-viewers.lua \
    "http://127.0.0.1:$3/v1/markets/venture/feed" > "$out"
  after=$(awk '{print $14 + $15}' "/proc/$2/stat")
  requests=$(grep -oE '^ *[0-9]+ requests' "$out" | grep -oE '[0-9]+')
  printf "| %s | %s | %s | %s | %s | %s |\n" "$1" "$4" "$(awk '/Requests\/sec/ {print $2}' "$out")" \
    "$(( (after - before) * 1000000 / $(getconf CLK_TCK) / requests ))" \
    "$(awk '$1 == "50%" {print $2}' "$out")" "$(awk '$1 == "99%" {print $2}' "$out")"
}
echo
echo "| side | connections | pages/s | server CPU per page (µs) | p50 | p99 |"
echo "|---|---:|---:|---:|---:|---:|"
for _ in $(seq 1 "$rounds"); do
  measure A "${pids[0]}" 5191 16
  measure B "${pids[1]}" 5192 16
done
for _ in 1 2; do
  measure A "${pids[0]}" 5191 1
  measure B "${pids[1]}" 5192 1
done
