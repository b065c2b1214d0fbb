#!/usr/bin/env bash
# Starts the published app STARTUP_RUNS times (5; up to 15 while none is under the limit) and reports, for each, the time from process start to the first 200
# from /health and the CPU time the process had used by then; checks that the first log line says where the service
# listens. Fails when that line is missing or the best run is slower than STARTUP_LIMIT_MS (1000): the best of a few
# is the app's own time, the rest is other load. On a machine busier than its cores (load average above nproc) the
# wall clock measures the neighbours, so the best CPU time is judged instead, and the output says so.
#   scripts/startup-time.sh [PUBLISH_DIR] [PORT]   (PUBLISH_DIR defaults to a fresh Release publish, PORT to a free one)
set -euo pipefail
cd "$(dirname "$0")/.."

# A free port unless one is given: a fixed one may be another run's, whose 200 would then be measured.
port=${2:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
limit=${STARTUP_LIMIT_MS:-1000}
runs=${STARTUP_RUNS:-5}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

app=${1:-}
if [ -z "$app" ]; then
  app=$work/app
  dotnet publish src/Api -c Release -o "$app" --nologo -v quiet >/dev/null
fi

tick_ms=$((1000 / $(getconf CLK_TCK)))

run_once() { # -> milliseconds in $elapsed and $cpu, log in $work/log
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
  cpu=$(awk -v t="$tick_ms" '{ print ($14 + $15) * t }' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

best= best_cpu=
times=() cpus=()
# While none of the starts is under the limit, up to STARTUP_MAX_RUNS (15) are made: other load, including the
# host's on a shared virtual machine (which the load average does not show), sets how many it takes to see the app's
# own time. A real regression is over the limit in every one of them.
max_runs=${STARTUP_MAX_RUNS:-15}
busy() { awk -v l="$(cut -d ' ' -f 1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; }
judged() { if busy; then echo "$best_cpu"; else echo "$best"; fi; }
for ((i = 1; i <= max_runs; i++)); do
  if [ "$i" -gt "$runs" ] && [ "$(judged)" -lt "$limit" ]; then
    break
  fi
  run_once
  times+=("$elapsed") cpus+=("$cpu")
  if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
  if [ -z "$best_cpu" ] || [ "$cpu" -lt "$best_cpu" ]; then best_cpu=$cpu; fi
  first=$(head -n 1 "$work/log")
  grep -q "ConvService listening on .*http://127.0.0.1:$port" <<<"$first" \
    || { echo "FAIL: the first log line does not give the URL: $first"; exit 1; }
done

echo "process start to first /health 200: ${times[*]} ms wall clock, ${cpus[*]} ms CPU (limit ${limit} ms)"
echo "first log line: $first"
load=$(cut -d ' ' -f 1 /proc/loadavg)
if busy; then
  echo "machine busy (load average $load on $(nproc) cores): judging the best CPU time, ${best_cpu} ms"
  best=$best_cpu
fi
[ "$best" -lt "$limit" ] || { echo "FAIL: slower than ${limit} ms"; exit 1; }
