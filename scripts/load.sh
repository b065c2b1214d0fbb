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
work=$(mktemp -d)
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

url=${1:-}
if [[ -z "$url" ]]; then
  dotnet publish src/Api -c Release -o "$work/app" --nologo -v quiet >/dev/null
  url="http://127.0.0.1:$PORT"
  ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
    dotnet "$work/app/ConvService.Api.dll" --urls "$url" >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -fs "$url/health/live" >/dev/null && break; sleep 0.2; done
fi
rss() { [[ -n "$pid" ]] && echo "$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status")" || echo "n/a (service not started here)"; }

python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
seed = {"input": [[4,5,2,2,1],[3,3,2,2,4],[4,3,4,1,1],[5,1,4,1,2],[5,1,3,1,4]], "kernel": [[4,3,3],[5,5,5],[2,4,3]]}
rng = random.Random(1)
medium = {"input": {"shape": [1,16,64,64], "data": [round(rng.uniform(-1, 1), 4) for _ in range(16*64*64)]},
          "kernel": {"shape": [16,16,3,3], "data": [round(rng.uniform(-1, 1), 4) for _ in range(16*16*9)]}, "padding": 1}
for name, body in (("seed", seed), ("medium", medium)):
    with open(f"{work}/{name}.json", "w") as f:
        json.dump(body, f, separators=(",", ":"))
    with open(f"{work}/{name}.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        f.write("wrk.body = " + json.dumps(json.dumps(body, separators=(",", ":"))) + "\n")
        f.write('''
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT requests/s=%.1f p99=%.2fms requests=%d non2xx=%d socket_errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
''')
PY

echo "service: $url   RSS before: $(rss)"
for name in $PHASES; do
  curl -fs -o /dev/null -H 'Content-Type: application/json' --data-binary "@$work/$name.json" "$url/conv/forward" \
    || { echo "$name request failed"; exit 1; }
  echo "== $name: $CONNECTIONS connections, $DURATION"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$work/$name.lua" "$url/conv/forward" | grep -E "RESULT|Non-2xx|Socket errors"
  echo "RSS after $name: $(rss)"
done
