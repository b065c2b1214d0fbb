#!/usr/bin/env bash
# The native build's method layout (issue 14): which compiled methods sit next to each other in the executable.
# Without a profile, the ahead-of-time compiler scatters the 1,300-odd methods a small request runs over about 15 MB of
# code and 540 pages; the JIT build's code lies where it was compiled, the hot methods together. This script profiles
# a native build under small requests and writes src/Api/NativeLayout.txt, the methods those requests ran (their
# symbols), those on the most sampled call stacks first. A native publish (scripts/publish-native.sh) passes the file
# to the compiler (src/Api/Api.csproj's IlcOrderFile), which lays those methods out first, in that order, and the
# rest after them. A method the file
# names that no longer exists is skipped, so an old file costs nothing but the gain; run this again after large
# changes to the request path and commit the file.
#   scripts/native-layout.sh [NATIVE_DIR]   (a native publish to profile; default: a fresh scripts/publish-native.sh)
# Traffic: the seed request as JSON on /conv/forward and in binary on /v2 (wrk, $CONNECTIONS (16) connections,
# $THREADS (2) threads), per-request logs on as the service's default, $DURATION seconds (12) of `perf record -g`.
# Needs perf (Debian: linux-perf) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16} THREADS=${THREADS:-2} DURATION=${DURATION:-12}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
app=${1:-}
if [ -z "$app" ]; then
  app=$work/native
  scripts/publish-native.sh "$app" >/dev/null
fi
exe=$(cd "$app" && pwd)/ConvService.Api
python3 scripts/bodies.py "$work" seed
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
ASPNETCORE_ENVIRONMENT=Production "$exe" --urls "$url" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "$url/health" && break; sleep 0.1; done
load() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" -s "$work/$2.lua" "$url$3" >/dev/null; }
load 2 seed /conv/forward
half=$((DURATION / 2))
(load "$half" seed /conv/forward; load "$((DURATION - half))" seed-bin /v2/models/conv2d/infer) &
traffic=$!
perf record -q -F 2999 -g -p "$pid" -o "$work/perf.data" -- sleep "$DURATION" 2>/dev/null
wait "$traffic"
perf script -i "$work/perf.data" -F ip,sym,dso 2>/dev/null >"$work/stacks.txt"
python3 - "$work/stacks.txt" "$exe" src/Api/NativeLayout.txt <<'EOF'
import collections, re, sys
stacks, exe, out = sys.argv[1:]
# Each method counts once per sampled stack it is on (its inclusive weight): callers of hot code come out hot too.
weight = collections.Counter()
samples = 0
def count(stack):
    global samples
    samples += 1
    weight.update(set(stack))
stack = []
for line in open(stacks):
    line = line.strip()
    if not line:
        if stack: count(stack)
        stack = []
        continue
    m = re.match(r'[0-9a-f]+ (\S.*) \((.*)\)$', line)
    # The service's own symbols: managed methods (the runtime's C++ functions, named with '::', are not the compiler's to place).
    if m and m.group(2) == exe and not m.group(1).startswith('[unknown]') and '::' not in m.group(1):
        stack.append(re.sub(r'\+0x[0-9a-f]+$', '', m.group(1)))
if stack: count(stack)
order = sorted(weight, key=lambda s: (-weight[s], s))
with open(out, 'w') as f:
    f.write("# The native build's hot methods, most sampled first: written by scripts/native-layout.sh, read by\n")
    f.write("# a native publish (src/Api/Api.csproj's IlcOrderFile). Lines that name no method, like these, are skipped.\n")
    f.write("\n".join(order) + "\n")
print(f"{out}: {len(order)} methods from {samples} samples")
EOF
