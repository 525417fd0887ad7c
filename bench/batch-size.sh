#!/usr/bin/env bash
# The daily batch at size: a venture market with 100,000 startups and 10,000 investors (every
# profile has a card), then `pairwise score`, which builds every profile's kept list — the
# investors' over the 100,000 startup cards and the startups' over the 10,000 investor cards —
# one profile per core at a time. Each side is scored on its own (`score --side`), so the issue's
# measure (10,000 investors over 100,000 cards) is reported apart from the other direction.
# Usage: bench/batch-size.sh [startups] [investors]
set -euo pipefail
cd "$(dirname "$0")/.."
startups=${1:-100000}
investors=${2:-10000}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

dotnet build -c Release -nologo -clp:ErrorsOnly src/Pairwise >/dev/null
export Pairwise__DataDirectory="$data" Logging__LogLevel__Default=Warning
dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll seed --market venture --side startup --profiles "$startups" 2>/dev/null | head -1
dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll seed --market venture --side investor --profiles "$investors" --seed 2 2>/dev/null | head -1
for side in investor startup; do
  start=$(date +%s.%N)
  /usr/bin/time -f "peak memory %M KB" dotnet src/Pairwise/bin/Release/net10.0/pairwise.dll score --market venture --side "$side" 2>&1 | grep -v "profiles scored:" || true
  echo "$side: wall time $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s (loading the index and fitting included)"
done
