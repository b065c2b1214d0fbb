#!/usr/bin/env bash
# Starts the published app STARTUP_RUNS times (3) and reports, for each, the time from process start to the first 200
# from /health; checks that the first log line says where the service listens. Fails when that line is missing or the
# best run is slower than STARTUP_LIMIT_MS (1000): the best of a few is the app's own time, the rest is other load.
#   scripts/startup-time.sh [PUBLISH_DIR] [PORT]   (PUBLISH_DIR defaults to a fresh Release publish)
set -euo pipefail
cd "$(dirname "$0")/.."

port=${2:-5186}
limit=${STARTUP_LIMIT_MS:-1000}
runs=${STARTUP_RUNS:-3}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

app=${1:-}
if [ -z "$app" ]; then
  app=$work/app
  dotnet publish src/Api -c Release -o "$app" --nologo -v quiet >/dev/null
fi

run_once() { # -> milliseconds in $elapsed, log in $work/log
  local start
  start=$(date +%s%N)
  (cd "$app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet ConvService.Api.dll >"$work/log" 2>&1) &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "the app exited:"; cat "$work/log"; exit 1; }
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 10000 ] || { echo "no 200 from /health within 10 s"; exit 1; }
    sleep 0.01
  done
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

best=
times=()
for _ in $(seq 1 "$runs"); do
  run_once
  times+=("$elapsed")
  if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
  first=$(head -n 1 "$work/log")
  grep -q "ConvService listening on .*http://127.0.0.1:$port" <<<"$first" \
    || { echo "FAIL: the first log line does not give the URL: $first"; exit 1; }
done

echo "process start to first /health 200: ${times[*]} ms (best ${best} ms, limit ${limit} ms)"
echo "first log line: $first"
[ "$best" -lt "$limit" ] || { echo "FAIL: slower than ${limit} ms"; exit 1; }
