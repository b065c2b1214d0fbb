#!/usr/bin/env bash
# The JIT build's profile (issue 14's cold start): what the tiered JIT learns in a service's first seconds, recorded
# once and read back at every start.
# By default the runtime compiles a method three times on its way to full speed: quickly (or from its ReadyToRun
# code), then instrumented to count its branches and the types its calls meet, then optimised with those counts. A
# fresh service needs about 8 s of traffic to get there. The runtime can write those counts to a text file when it
# exits (DOTNET_WritePGOData) and read them back when it starts (DOTNET_ReadPGOData, with DOTNET_TieredPGO=0: a method
# then goes from its first code straight to the optimised one, compiled with the recorded counts). This script runs a
# published service under small requests with per-request logs on (the service's default) and stops it; then runs the
# same traffic again on a service started with that recording, as deployed, and writes to src/Api/JitProfile.txt the
# records of the methods the JIT compiled with them, which a publish copies beside the service (the runtime reads the
# whole file at every start); scripts/jit-profile-env.sh says how to start with it. The file matches methods by name
# and a hash of their IL, so a method whose IL changed since it was written is compiled without its counts: run this
# again after changes to the request path and commit the file.
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
load() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" -s "$work/$2.lua" "$url$3" >/dev/null; }
# One run of the service under the traffic, with the environment given; the runtime writes its files as it shuts down.
run() {
  env -u DOTNET_ReadPGOData -u DOTNET_TieredPGO -u DOTNET_TC_CallCountingDelayMs -u DOTNET_TC_CallCountThreshold \
    "$@" ASPNETCORE_ENVIRONMENT=Production dotnet "$app/ConvService.Api.dll" --urls "$url" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -fs -o /dev/null "$url/health" && break; sleep 0.1; done
  load "$DURATION" seed /conv/forward
  load "$((DURATION / 2))" seed-bin /v2/models/conv2d/infer
  load 3 medium /conv/forward
  for _ in 1 2 3 4 5; do
    curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary "@$work/s2.json" "$url/conv/forward"
    curl -fsS -o /dev/null -H 'Content-Type:' -H "Inference-Header-Content-Length: $(cat "$work/s2.hlen")" \
      --data-binary "@$work/s2.bin" "$url/v2/models/conv2d/infer"
  done
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
}
# 1. Record: dynamic PGO on (its default), no profile read.
run DOTNET_WritePGOData=1 DOTNET_PGODataPath="$work/profile.txt"
head -1 "$work/profile.txt" | grep -q '^\*\*\* START PGO Data' || { echo "no profile was written"; exit 1; }
# 2. Replay the same traffic started as deployed, with what was recorded, and list what the JIT compiles. Most records
#    go unused: of about 1,800 methods recorded, about 200 were compiled with their counts ("Tier1 with Textual PGO"),
#    the rest were never compiled again at the 1,000-call threshold or their counts were set aside ("Synthesized PGO").
#    The runtime reads the whole file at start, about 13 ms per MB here, so only the records used are kept.
run $(JIT_PROFILE=1 scripts/jit-profile-env.sh "$app" | sed "s|^DOTNET_PGODataPath=.*|DOTNET_PGODataPath=$work/profile.txt|") \
  DOTNET_JitStdOutFile="$work/jitted.txt" DOTNET_JitDisasmSummary=1
# The records used, sorted by name and signature: the runtime writes methods in the order it first instrumented them,
# which differs from run to run, and reads each record on its own, so a new recording's diff shows what changed.
python3 - "$work/profile.txt" "$work/jitted.txt" src/Api/JitProfile.txt <<'PY'
import re, sys
profile, jitted, target = sys.argv[1:]
# The JIT's summary names a method as Owner`1[int]:Method[Args](signature), the profile as Owner`1[System.Int32].Method.
keywords = {"bool": "Boolean", "char": "Char", "sbyte": "SByte", "ubyte": "Byte", "byte": "Byte", "short": "Int16",
            "ushort": "UInt16", "int": "Int32", "uint": "UInt32", "long": "Int64", "ulong": "UInt64", "float": "Single",
            "double": "Double", "nint": "IntPtr", "nuint": "UIntPtr", "ref": "Object", "object": "Object", "string": "String"}
def written(name):
    owner, method = name.split("(")[0].rsplit(":", 1)
    owner = re.sub(r"(?<=[\[,])(\w+)(?=[\],])", lambda m: "System." + keywords[m[1]] if m[1] in keywords else m[1], owner)
    return owner + "." + re.sub(r"\[.*\]$", "", method)
used = {written(m[1]) for m in re.finditer(r"JIT compiled (.*?) \[Tier1[^\]]*Textual PGO", open(jitted).read())}
lines = open(profile).read().split("\n")
trailer = "*** END PGO Data ***"
records, current = [], None
for line in lines[1:]:
    if line.startswith("@@@ "):
        current = [line]
        records.append(current)
    elif line == trailer:
        break
    elif current is not None:
        current.append(line)
kept = sorted((r for r in records if r[1].removeprefix("MethodName: ") in used), key=lambda r: (r[1], r[2], r[0]))
missing = used - {r[1].removeprefix("MethodName: ") for r in kept}
print(f"{len(records)} methods recorded, {len(used)} compiled with their counts, {len(kept)} records kept"
      + (f"; not found by name: {', '.join(sorted(missing)[:5])}" if missing else ""))
with open(target, "w") as out:
    out.write("\n".join([f"*** START PGO Data, max index = {len(kept)} ***"] + [l for r in kept for l in r] + [trailer]) + "\n")
PY
echo "src/Api/JitProfile.txt: $(grep -c '^@@@' src/Api/JitProfile.txt) methods, $(grep -c '^MethodName: ConvService' src/Api/JitProfile.txt) of them the service's own"
