#!/usr/bin/env bash
# The JIT build's profile (issue 14's cold start): what the tiered JIT learns in a service's first seconds, recorded
# once and read back at every start.
# By default the runtime compiles a method three times on its way to full speed: quickly (or from its ReadyToRun
# code), then instrumented to count its branches and the types its calls meet, then optimised with those counts. A
# fresh service needs about 8 s of traffic to get there. The runtime can write those counts to a text file when it
# exits (DOTNET_WritePGOData) and read them back when it starts (DOTNET_ReadPGOData, with DOTNET_TieredPGO=0: a method
# then goes from its first code straight to the optimised one, compiled with the recorded counts). This script runs a
# published service under small requests with per-request logs on (the service's default), stops it, and writes
# src/Api/JitProfile.txt, which a publish copies beside the service; scripts/jit-profile-env.sh says how to start
# with it. The file matches methods by name and a hash of their IL, so a method whose IL changed since it was written
# is compiled without its counts: run this again after changes to the request path and commit the file.
#   scripts/jit-profile.sh [PUBLISH_DIR]   (a JIT publish to profile; default: a fresh Release publish)
# Traffic: the seed request as JSON on /conv/forward ($DURATION seconds, 12) and in binary on /v2 (half as long), a
# 1×16×64×64 request as JSON (3 s), and some S2 requests both ways; wrk, $CONNECTIONS (16) connections, $THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16} THREADS=${THREADS:-2} DURATION=${DURATION:-12}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
app=${1:-}
if [ -z "$app" ]; then
  app=$work/app
  dotnet publish src/Api -c Release -o "$app" --nologo -v quiet >/dev/null
fi
python3 scripts/bodies.py "$work" seed medium s2
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
# Recording needs dynamic PGO on (its default) and no profile being read.
env -u DOTNET_ReadPGOData -u DOTNET_TieredPGO -u DOTNET_TC_CallCountingDelayMs -u DOTNET_TC_CallCountThreshold \
  DOTNET_WritePGOData=1 DOTNET_PGODataPath="$work/profile.txt" ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$app/ConvService.Api.dll" --urls "$url" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "$url/health" && break; sleep 0.1; done
load() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" -s "$work/$2.lua" "$url$3" >/dev/null; }
load "$DURATION" seed /conv/forward
load "$((DURATION / 2))" seed-bin /v2/models/conv2d/infer
load 3 medium /conv/forward
for _ in 1 2 3 4 5; do
  curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary "@$work/s2.json" "$url/conv/forward"
  curl -fsS -o /dev/null -H 'Content-Type:' -H "Inference-Header-Content-Length: $(cat "$work/s2.hlen")" \
    --data-binary "@$work/s2.bin" "$url/v2/models/conv2d/infer"
done
# The runtime writes the file as it shuts down.
kill -TERM "$pid"
wait "$pid" || true
pid=
head -1 "$work/profile.txt" | grep -q '^\*\*\* START PGO Data' || { echo "no profile was written"; exit 1; }
# The runtime writes methods in the order it first instrumented them, which differs from run to run; sorted by name
# and signature (the runtime reads each record on its own), a new recording's diff shows what changed.
python3 - "$work/profile.txt" src/Api/JitProfile.txt <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
header, trailer = lines[0], "*** END PGO Data ***"
records, current = [], None
for line in lines[1:]:
    if line.startswith("@@@ "):
        current = [line]
        records.append(current)
    elif line == trailer:
        break
    elif current is not None:
        current.append(line)
records.sort(key=lambda record: (record[1], record[2], record[0]))
with open(sys.argv[2], "w") as out:
    out.write("\n".join([header] + [line for record in records for line in record] + [trailer]) + "\n")
PY
echo "src/Api/JitProfile.txt: $(grep -c '^@@@' src/Api/JitProfile.txt) methods, $(grep -c '^MethodName: ConvService' src/Api/JitProfile.txt) of them the service's own"
