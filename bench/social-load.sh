#!/usr/bin/env bash
# The aggregated feed under wrk next to the same server's /health/live (hello world), in one run,
# with Redis holding the feed lists; then the cost of a post's fan-out to 10,000 followers against
# a post with a handful of followers (the baseline), and Redis memory per user's list.
#   Data: a venture market of N profiles (seed --follows 100 --posts P): every member follows the
#   first profile (N-1 followers), the first hundred also follow 100 random profiles.
# Usage: bench/social-load.sh [profiles] [posts-each] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null
profiles=${1:-10001}
posts=${2:-5}
seconds=${3:-15}
port=5183
redis_port=6391
data=$(mktemp -d)
server=""; redis=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; [ -n "$redis" ] && kill $redis 2>/dev/null; rm -rf "$data"' EXIT

redis-server --port $redis_port --save "" --appendonly no --daemonize no >/dev/null &
redis=$!
dotnet build -c Release -nologo -clp:ErrorsOnly src/Pairwise >/dev/null
pairwise() { Pairwise__DataDirectory="$data" dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll "$@"; }
seeded=$(pairwise seed --market venture --profiles "$profiles" --follows 100 --posts "$posts" 2>/dev/null | grep -E "seeded|reader")
echo "$seeded"
popular=$(echo "$seeded" | sed -n 's/.*most followed profile is \([a-z0-9_]*\) (\([^)]*\)).*/\1 \2/p')
popular_profile=${popular%% *}; popular_email=${popular##* }
reader_email=$(echo "$seeded" | sed -n 's/.*a reader: \(.*\)$/\1/p')

Pairwise__DataDirectory="$data" ConnectionStrings__Redis="127.0.0.1:$redis_port" Logging__LogLevel__Default=Warning Pairwise__BackgroundJobs=false \
  Pairwise__RateLimits__AuthPerIpPerMinute=1000 Pairwise__RateLimits__ListingBurst=100000 Pairwise__Social__Connectors= \
  dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done

login() { curl -sf -X POST "http://127.0.0.1:$port/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$1\",\"password\":\"pairwise demo\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'; }
reader=$(login "$reader_email")
author=$(login "$popular_email")
me=$(curl -sf "http://127.0.0.1:$port/v1/me" -H "authorization: Bearer $reader")
reader_id=$(echo "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["userId"])')
reader_profile=$(echo "$me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["profiles"][0]["id"])')
curl -sf "http://127.0.0.1:$port/v1/social/feed?limit=20" -H "authorization: Bearer $reader" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("feed page:", len(d["items"]), "items, newest", d["items"][0]["publishedAt"])'

run() { wrk -t2 -c16 -d"${seconds}s" --latency "$@" | grep -E 'Requests/sec|  50%|  99%|Non-2xx'; }
echo "== hello world: GET /health/live"; run "http://127.0.0.1:$port/health/live"
echo "== aggregated feed from the cached list: GET /v1/social/feed?limit=20"; run -H "Authorization: Bearer $reader" "http://127.0.0.1:$port/v1/social/feed?limit=20"

echo "== Redis: the reader's list"
echo "members: $(redis-cli -p $redis_port ZCARD "pairwise:social:feed:$reader_id")  bytes: $(redis-cli -p $redis_port MEMORY USAGE "pairwise:social:feed:$reader_id" SAMPLES 0)"

# Fan-out: a post reaches the lists that exist, so every follower of the popular profile gets one
# first (as if all 10,000 had read their feed in the last day), then 20 posts of each profile are
# timed by the client: the whole write path, the post, the follower read and the Redis pipeline.
python3 - "$port" "$reader" "$popular_profile" <<'PY' | redis-cli -p $redis_port --pipe >/dev/null
import json, sys, time, urllib.request
port, token, profile = sys.argv[1:4]
cursor, now = None, int(time.time() * 1000)
def resp(*words): return "*%d\r\n" % len(words) + "".join("$%d\r\n%s\r\n" % (len(w.encode()), w) for w in words)
while True:
    url = f"http://127.0.0.1:{port}/v1/profiles/{profile}/followers?limit=100" + (f"&cursor={cursor}" if cursor else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})))
    for f in page["items"]:
        sys.stdout.write(resp("ZADD", f"pairwise:social:feed:{f['userId']}", "0", "!") + resp("SET", f"pairwise:social:filled:{f['userId']}", str(now)))
    cursor = page["nextCursor"]
    if not cursor: break
PY
echo "lists in Redis: $(redis-cli -p $redis_port DBSIZE) keys"
post() { curl -s -o /dev/null -w '%{time_total}\n' -X POST "http://127.0.0.1:$port/v1/posts" -H "authorization: Bearer $1" -H 'content-type: application/json' -d "{\"profileId\":\"$2\",\"text\":\"Load post\"}"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1000 " ms"}'; }
echo "== a post with $(curl -sf "http://127.0.0.1:$port/v1/profiles/$reader_profile/followers" -H "authorization: Bearer $reader" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') followers (baseline), median of 20"
for i in $(seq 20); do post "$reader" "$reader_profile"; done | median
echo "== a post with $(curl -sf "http://127.0.0.1:$port/v1/profiles/$popular_profile/followers" -H "authorization: Bearer $reader" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') followers, median of 20"
for i in $(seq 20); do post "$author" "$popular_profile"; done | median
