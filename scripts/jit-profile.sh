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
# 2. Replay the same traffic started as deployed, with what was recorded, and list what the JIT compiles. Of about
#    1,800 methods recorded, about 200 are compiled with their counts ("Tier1 with Textual PGO"); the rest are never
#    compiled again at the 1,000-call threshold, or are compiled with no counts to read ("Synthesized PGO"), or are
#    read only as inlinees: when the JIT inlines a method into one it optimises it reads the inlinee's record too,
#    above all the types its calls met (guarded devirtualisation), and its summary names only the method compiled.
#    The runtime reads the whole file at start, about 13 ms per MB here, so the file keeps the records compiled with
#    and, of the others, those with a type or delegate target seen at one of their calls and a count (a block's, an
#    edge's or a call's) of 1,000 or more in the recording. By turns on the Zen 5 machine (2026-12-05), against the
#    compiled-only file: the seed at 1.025-1.045x its rate (medians of 8 rounds), cold start a median 0.535 against
#    0.60; every record (7 MB) 1.08x at start-up's cost; all those with a count of 1,000, 1.075x, cold start 0.40-0.58.
run $(JIT_PROFILE=1 scripts/jit-profile-env.sh "$app" | sed "s|^DOTNET_PGODataPath=.*|DOTNET_PGODataPath=$work/profile.txt|") \
  DOTNET_JitStdOutFile="$work/jitted.txt" DOTNET_JitDisasmSummary=1
# The records used, sorted by name and signature: the runtime writes methods in the order it first instrumented them,
# which differs from run to run, and reads each record on its own, so a new recording's diff shows what changed.
python3 - "$work/profile.txt" "$work/jitted.txt" src/Api/JitProfile.txt <<'PY'
import math, re, sys
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
def counted(record):
    """The largest count in a record: its hottest block's, edge's or call's in the recording."""
    largest, marshal = 0, None
    for line in record[3:]:
        if line.startswith("Schema "):
            marshal = int(line.split()[2]) & 0xF
        elif marshal in (1, 2) and line[:1].isdigit():
            low, *high = map(int, line.split())
            largest = max(largest, low + (high[0] << 32 if high else 0))
    return largest
def typed(record):
    return any(line.startswith(("TypeHandle: ", "MethodHandle: ")) and not line.endswith(": NULL") for line in record)
kept = sorted((r for r in records if r[1].removeprefix("MethodName: ") in used or (typed(r) and counted(r) >= 1000)),
              key=lambda r: (r[1], r[2], r[0]))
def compacted(record):
    """A call's types as the JIT reads them: each type's share of the entries that are not NULL. The runtime samples 32
    entries per call; written as the same shares in the fewest entries (32 of one type as one), the records take a
    quarter of the space and the JIT resolves a quarter of the type names."""
    out, line = record[:3], 3
    while line < len(record):
        schema = record[line].split()
        count = int(schema[6])
        entries = record[line + 1:line + 1 + count]
        line += 1 + count
        if int(schema[2]) & 0xF in (3, 4):  # the runtime's MarshalMask: type handles, method handles
            prefix = entries[0].split(": ", 1)[0]
            seen = [entry.split(": ", 1)[1] for entry in entries if not entry.endswith(": NULL")]
            shares = {handle: seen.count(handle) for handle in dict.fromkeys(seen)}
            divisor = math.gcd(*shares.values()) if shares else 1
            entries = [f"{prefix}: {handle}" for handle, times in shares.items() for _ in range(times // divisor)] \
                or [f"{prefix}: NULL"]
            out.append(" ".join(schema[:6] + [str(len(entries))] + schema[7:]))
        else:
            out.append(record[line - 1 - count])
        out.extend(entries)
    return out
kept = [compacted(r) for r in kept]
missing = used - {r[1].removeprefix("MethodName: ") for r in kept}
print(f"{len(records)} methods recorded, {len(used)} compiled with their counts, {len(kept)} records kept"
      + (f"; not found by name: {', '.join(sorted(missing)[:5])}" if missing else ""))
with open(target, "w") as out:
    out.write("\n".join([f"*** START PGO Data, max index = {len(kept)} ***"] + [l for r in kept for l in r] + [trailer]) + "\n")
PY
echo "src/Api/JitProfile.txt: $(grep -c '^@@@' src/Api/JitProfile.txt) methods, $(grep -c '^MethodName: ConvService' src/Api/JitProfile.txt) of them the service's own"
