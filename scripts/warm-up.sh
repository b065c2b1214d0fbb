#!/usr/bin/env bash
# The warm-up, second by second: seed requests/s in each of the first SECONDS (10) one-second wrk runs after the
# process's first /health 200, then the process's CPU time. Shows how long the tiered JIT takes to reach steady
# throughput, where scripts/cold-start.sh gives one ratio. Runtime settings to try are passed in the environment:
#   DOTNET_TieredPGO=0 scripts/warm-up.sh [PUBLISH_DIR]   (defaults to a fresh Release publish)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_SHOWN=${SECONDS_SHOWN:-10} CONNECTIONS=${CONNECTIONS:-16} THREADS=${THREADS:-2}
work=$(mktemp -d)
pid=
# Also when a reader of the output stops early (| head): the service must not outlive the script.
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
app=${1:-}
if [ -z "$app" ]; then
  app=$work/app
  dotnet publish src/Api -c Release -o "$app" --nologo -v quiet >/dev/null
fi
python3 scripts/bodies.py "$work" seed
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

start=$(date +%s%N)
ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
  dotnet "$app/ConvService.Api.dll" --urls "$url" >"$work/service.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$url/health"; do
  kill -0 "$pid" 2>/dev/null || { echo "the app exited:"; cat "$work/service.log"; exit 1; }
  sleep 0.005
done
rates=()
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
for _ in $(seq "$SECONDS_SHOWN"); do
  rates+=("$(wrk -t"$THREADS" -c"$CONNECTIONS" -d1s -s "$work/seed.lua" "$url/conv/forward" | sed -n -E 's/^RESULT requests\/s=([0-9]+).*/\1/p')")
done
cpu_ms=$(awk -v t="$((1000 / $(getconf CLK_TCK)))" '{ print ($14 + $15) * t }' "/proc/$pid/stat")
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); first /health 200 after ${ready_ms} ms"
echo "RESULT warm-up requests/s by second: ${rates[*]}"
echo "RESULT process CPU ${cpu_ms} ms"
