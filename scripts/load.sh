#!/usr/bin/env bash
# Load test: scripts/load.sh [URL]
# Without URL it publishes a Release build, starts it on $PORT (default 5184) and stops it afterwards.
# Runs wrk (apt-get install -y wrk) with the seed request, then a medium one (1×16×64×64 input, 16×16×3×3 kernel),
# and prints requests/s, p99 latency, non-2xx counts and the service's RSS before and after (when it started it).
# Environment: CONNECTIONS (64), DURATION (30s), THREADS (2), PORT (5184), TIMEOUT (wrk's per-request limit, 10s),
# PHASES ("seed medium"; e.g. "seed seed medium" to see memory settle).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-64} DURATION=${DURATION:-30s} THREADS=${THREADS:-2} PORT=${PORT:-5184} TIMEOUT=${TIMEOUT:-10s}
PHASES=${PHASES:-seed medium}
source scripts/service.sh
trap stop_service EXIT
start_service "${1:-}"

python3 scripts/bodies.py "$work" seed medium

echo "service: $url   RSS before: $(rss)"
for name in $PHASES; do
  curl -fs -o /dev/null -H 'Content-Type: application/json' --data-binary "@$work/$name.json" "$url/conv/forward" \
    || { echo "$name request failed"; exit 1; }
  echo "== $name: $CONNECTIONS connections, $DURATION"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$work/$name.lua" "$url/conv/forward" | grep -E "RESULT|Non-2xx|Socket errors"
  echo "RSS after $name: $(rss)"
done
