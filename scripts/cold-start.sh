#!/usr/bin/env bash
# Cold start (issue 14): the seed request's throughput over the first WINDOW seconds (5) after the process starts,
# against its steady throughput, in one sitting. The first window counts every answered request from the process's
# start (the time before the first /health 200 answers none); steady is a further WINDOW-second wrk run after
# WARMUP seconds (10) of traffic. wrk: $CONNECTIONS (16) connections, $THREADS (2) threads.
#   scripts/cold-start.sh [PUBLISH_DIR]   (defaults to a fresh Release publish, or a native one from
#   scripts/publish-native.sh; the service listens on a free port)
# With BY_SECOND=N it shows the warm-up instead: the requests answered in each of N one-second wrk runs from the first
# /health 200, to see how long the tiered JIT takes to reach steady throughput. Runtime settings to try go in the
# environment, e.g. DOTNET_TieredPGO=0 BY_SECOND=10 scripts/cold-start.sh PUBLISH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16} THREADS=${THREADS:-2} WINDOW=${WINDOW:-5} WARMUP=${WARMUP:-10}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
app=${1:-}
if [ -z "$app" ]; then
  app=$work/app
  dotnet publish src/Api -c Release -o "$app" --nologo -v quiet >/dev/null
fi
# A JIT publish starts as the image starts it: with the multi-core JIT's start-up list (scripts/record-jitlist.sh),
# recorded first where the publish has none yet.
scripts/record-jitlist.sh --if-missing "$app" >/dev/null
# A native publish (scripts/publish-native.sh) is its own executable: ConvService.Api beside no .dll.
launch=(dotnet "$app/ConvService.Api.dll")
[ -f "$app/ConvService.Api.dll" ] || launch=("$app/ConvService.Api")
python3 scripts/bodies.py "$work" seed
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
requests() { sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$1"; }

start=$(date +%s%N)
env $(scripts/jit-profile-env.sh "$app") ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
  "${launch[@]}" --urls "$url" >"$work/service.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$url/health"; do
  kill -0 "$pid" 2>/dev/null || { echo "the app exited:"; cat "$work/service.log"; exit 1; }
  sleep 0.005
done
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ -n "${BY_SECOND:-}" ]; then
  rates=()
  for _ in $(seq "$BY_SECOND"); do
    rates+=("$(requests "$(wrk -t"$THREADS" -c"$CONNECTIONS" -d1s -s "$work/seed.lua" "$url/conv/forward" | grep RESULT)")")
  done
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg); first /health 200 after ${ready_ms} ms"
  echo "RESULT requests in each second from then: ${rates[*]}"
  exit 0
fi
left_ms=$(( WINDOW * 1000 - ($(date +%s%N) - start) / 1000000 ))
# A start slower than the whole window (a very busy machine) answers nothing in it.
cold="requests=0"
# wrk takes whole seconds: the window's last fraction of a second goes uncounted, which errs against the cold figure.
[ "$left_ms" -lt 1000 ] || cold=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((left_ms / 1000))s" -s "$work/seed.lua" "$url/conv/forward" | grep RESULT)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/seed.lua" "$url/conv/forward" >/dev/null
steady=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WINDOW}s" -s "$work/seed.lua" "$url/conv/forward" | grep RESULT)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); first /health 200 after ${ready_ms} ms"
awk -v c="$(requests "$cold")" -v s="$(requests "$steady")" -v w="$WINDOW" 'BEGIN {
  printf "RESULT cold first %d s requests/s=%.0f (%d requests)\n", w, c / w, c
  printf "RESULT steady requests/s=%.0f\n", s / w
  printf "RESULT cold/steady=%.2f\n", c / s }'
