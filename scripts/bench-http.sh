#!/usr/bin/env bash
# HTTP benchmark: scripts/bench-http.sh [URL]
# Without URL it publishes a Release build, starts it on $PORT (default 5183) and stops it afterwards. Then:
#   1. wrk with the seed request (5×5 ⊛ 3×3): $CONNECTIONS (16) connections, $THREADS (2) threads, $DURATION (15s),
#      after a 5 s warm-up run;
#   2. the S2 float32 request (8×64×56×56 ⊛ 64×64×3×3, padding 1, about 12 MB of JSON) timed with curl, $RUNS (7)
#      times after one warm-up, median and best; with the service started here also the resident-memory growth the
#      first S2 request caused (its peak over the warmed-up baseline), against the body's size.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16} THREADS=${THREADS:-2} DURATION=${DURATION:-15s} RUNS=${RUNS:-7} PORT=${PORT:-5183}
source scripts/service.sh
trap stop_service EXIT
start_service "${1:-}"
python3 scripts/bodies.py "$work" seed s2
post() { curl -fsS -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' --data-binary "@$work/$1.json" "$url/conv/forward"; }

# Warm up for 5 s first: tiered compilation and PGO take a few seconds of traffic to settle on optimised code.
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$work/seed.lua" "$url/conv/forward" >/dev/null
echo "== seed request: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a 5 s warm-up)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/seed.lua" "$url/conv/forward" | grep RESULT

body_mb=$(awk -v b="$(stat -c %s "$work/s2.json")" 'BEGIN { printf "%.1f", b / 1048576 }')
baseline=$(memory_kb VmRSS)
post s2 >/dev/null
peak=$(memory_kb VmHWM)
echo "== S2 float32 request ($body_mb MiB body): $RUNS runs after one warm-up"
for _ in $(seq "$RUNS"); do post s2; done | sort -n | awk '{ t[NR] = $1 } END { printf "RESULT s2 median=%.0fms best=%.0fms\n", t[int((NR + 1) / 2)] * 1000, t[1] * 1000 }'
if [[ -n "$pid" ]]; then
  awk -v base="$baseline" -v peak="$peak" -v body="$body_mb" 'BEGIN {
    grow = (peak - base) / 1024; printf "RESULT s2 peak memory growth=%.1f MiB = %.1f× the body\n", grow, grow / body }'
fi
