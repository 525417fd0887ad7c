#!/usr/bin/env bash
# The same read over REST and over GraphQL: a page of 20 marketplace listings (with owner and first
# image), under wrk, next to the same server's /health/live (hello world), all in one run.
#   REST:    GET /v1/markets/marketplace/listings?limit=20 (owner as an id, images included)
#   GraphQL: POST /graphql { listings(first: 20) { nodes { … images(first: 1) owner { displayName } } } }
#            (owners batch-loaded: one read for the page), and the same query by persisted hash over GET.
# Usage: bench/graphql-load.sh [listings] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } >/dev/null
listings=${1:-5000}
seconds=${2:-15}
port=5182
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

dotnet build -c Release -nologo -clp:ErrorsOnly src/Pairwise >/dev/null
Pairwise__DataDirectory="$data" dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll seed --market marketplace --profiles 500 --listings "$listings" 2>/dev/null | tail -1

Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning Pairwise__RateLimits__AuthPerIpPerMinute=1000 Pairwise__BackgroundJobs=false \
  dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done

token=$(curl -sf -X POST "http://127.0.0.1:$port/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"graph-load@example.com","password":"load test passphrase","displayName":"Load"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

query='query Page { listings(market: "marketplace", first: 20) { nodes { id title price tags images(first: 1) { url } owner { id displayName } } pageInfo { endCursor } } }'
body=$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$query")
hash=$(printf '%s' "$query" | sha256sum | cut -d' ' -f1)
extensions=$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps({"persistedQuery":{"version":1,"sha256Hash":sys.argv[1]}})))' "$hash")
# Teach the server the persisted query once, and check both answers.
curl -sf "http://127.0.0.1:$port/graphql" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1], "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sys.argv[2]}}}))' "$query" "$hash")" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]["listings"]["nodes"]; print("GraphQL page:", len(d), "listings; first owner:", d[0]["owner"]["displayName"])'
curl -sf "http://127.0.0.1:$port/v1/markets/marketplace/listings?limit=20" -H "authorization: Bearer $token" \
  | python3 -c 'import json,sys; print("REST page:", len(json.load(sys.stdin)["items"]), "listings")'

lua=$(mktemp --suffix=.lua)
cat > "$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = [[$body]]
LUA

run() { wrk -t2 -c16 -d"${seconds}s" --latency "$@" | grep -E 'Requests/sec|  50%|  99%|Non-2xx'; }
echo "== hello world: GET /health/live"; run "http://127.0.0.1:$port/health/live"
echo "== REST: GET /v1/markets/marketplace/listings?limit=20"; run -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/markets/marketplace/listings?limit=20"
echo "== GraphQL: POST /graphql (the document in the body)"; run -s "$lua" "http://127.0.0.1:$port/graphql"
echo "== GraphQL: GET /graphql?extensions= (persisted query by hash)"; run -H "Authorization: Bearer $token" "http://127.0.0.1:$port/graphql?extensions=$extensions"
rm -f "$lua"
