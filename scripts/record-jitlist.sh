#!/usr/bin/env bash
# The multi-core JIT's start-up list for a JIT publish (src/Api/Hosting/MulticoreJit.cs): starts the service as deployed
# (with its JIT profile, scripts/jit-profile-env.sh), waits for its first /health 200 and stops it, which writes the
# methods its start compiled to PUBLISH_DIR/Startup.jitlist; every later start compiles those on the other core ahead
# of the main thread. The Dockerfile runs it on the image's publish (so that no script here needs more than bash and
# the service itself: the probe is the service's own --probe); scripts/startup-time.sh and scripts/cold-start.sh run it
# on a publish that has no list yet, so that they measure the service as the image starts it.
#   scripts/record-jitlist.sh [--if-missing] PUBLISH_DIR [PORT (5081)]
# With --if-missing it does nothing for a publish that has its list already, or that is not a JIT publish (no
# JitProfile.txt: a native build has no JIT).
set -euo pipefail
if_missing=false
[ "${1:-}" != --if-missing ] || { if_missing=true; shift; }
dir=$(cd "${1:?usage: scripts/record-jitlist.sh [--if-missing] PUBLISH_DIR [PORT]}" && pwd)
! $if_missing || { [ -f "$dir/JitProfile.txt" ] && [ ! -f "$dir/Startup.jitlist" ]; } || exit 0
port=${2:-5081}
here=$(cd "$(dirname "$0")" && pwd)
url="http://127.0.0.1:$port"
rm -f "$dir/Startup.jitlist"
(cd "$dir" && exec env $("$here/jit-profile-env.sh" "$dir") ASPNETCORE_ENVIRONMENT=Production dotnet ConvService.Api.dll \
  --urls "$url" >/dev/null 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 150); do
  dotnet "$dir/ConvService.Api.dll" --probe "$url/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the service exited before answering $url/health"; exit 1; }
  sleep 0.1
done
# The runtime writes the list as the service shuts down.
kill -TERM "$pid"
wait "$pid" || true
trap - EXIT
[ -s "$dir/Startup.jitlist" ] || { echo "no start-up list was written to $dir/Startup.jitlist"; exit 1; }
echo "$dir/Startup.jitlist: $(stat -c %s "$dir/Startup.jitlist") bytes"
