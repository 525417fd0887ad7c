#!/usr/bin/env bash
# The real-time hub under load: matched pairs in `venture` exchange messages at a fixed rate over
# HTTP while every member and many idle connections listen on /v1/realtime. Reports send → ack
# (the baseline) and send → live delivery, and the server's memory per connection.
# Usage: bench/realtime-load.sh [pairs] [idle connections] [messages/s] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-50}
idle=${2:-2000}
rate=${3:-200}
seconds=${4:-20}
port=5182
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

dotnet build -c Release -nologo -v quiet bench/Pairwise.Benchmarks
Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning Pairwise__BackgroundJobs=false \
  Pairwise__RateLimits__AuthPerIpPerMinute=100000 Pairwise__RateLimits__SendBurst=100000 \
  dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
dotnet bench/Pairwise.Benchmarks/bin/Release/net10.0/Pairwise.Benchmarks.dll realtime "http://127.0.0.1:$port" "$server" "$pairs" "$idle" "$rate" "$seconds"
