#!/usr/bin/env bash
# Ours against libtorch in one sitting, by turns: scripts/sitting.sh [ROUNDS (3)] [S1 … S7 (all)]
# Each round runs libtorch's peer benchmark ($PEER, default ../shared/tools/peer/run.sh beside the repository; about a
# minute) and then our `--quick` table, each in its own process as the issue compares them, and keeps both outputs in
# $OUT (a temporary folder unless given). Then, per shape and dtype: each round's ratios (ours over libtorch; forward
# against libtorch's forward, backward, both gradients counted at 2× the forward's FLOPs, against libtorch's forward +
# backward counted at 3×, as benchmarks/PeerKernels compares them), the median ratio over the rounds, and the median
# GFLOP/s of each. Rounds take turns so that the shared host's slow minutes fall on both; a single round shows which
# side such a minute fell on only by its figures. Measurement tool only: libtorch is never a dependency of the product.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
peer=${PEER:-../shared/tools/peer/run.sh}
[ -x "$peer" ] || [ -f "$peer" ] || { echo "no libtorch peer at $peer (set PEER=…/run.sh)" >&2; exit 1; }
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
dotnet build -c Release benchmarks/ConvService.Benchmarks -o "$out/bench" >"$out/build.log" || { grep -E "error" "$out/build.log" | head; exit 1; }
echo "sitting of $rounds rounds from $(date -u +%H:%M) UTC; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs), model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | xargs)); main at $(git rev-parse --short HEAD); outputs in $out"
for round in $(seq "$rounds"); do
    echo "round $round: libtorch from $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    bash "$peer" >"$out/peer.$round.txt" 2>&1
    echo "round $round: ours from $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$out/bench" && dotnet ConvService.Benchmarks.dll --quick "$@") >"$out/ours.$round.txt" 2>&1
done
echo "ended $(date -u +%H:%M) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$rounds" <<'EOF'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {}  # (shape, dtype) -> list of (ours fwd, ours bwd, peer fwd, peer fwd+bwd) per round
for r in range(1, rounds + 1):
    peer, ours = {}, {}
    for line in open(f"{out}/peer.{r}.txt"):
        m = re.match(r"Float(32|64)\s+(S\d)\b.*fwd\s+[\d.]+ ms\s+([\d.]+) GFLOP/s \| fwd\+bwd\s+[\d.]+ ms\s+([\d.]+) GFLOP/s", line)
        if m:
            peer[(m[2], "fp" + m[1])] = (float(m[3]), float(m[4]))
    for line in open(f"{out}/ours.{r}.txt"):
        m = re.match(r"(S\d)\s+(fp32|fp64)\s+([\d.]+)\s+([\d.]+)", line)
        if m:
            ours[(m[1], m[2])] = (float(m[3]), float(m[4]))
    for key in ours:
        if key in peer:
            rows.setdefault(key, []).append(ours[key] + peer[key])
print(f"{'shape':6} {'dtype':5} {'forward ratio by round':>26} {'median':>7} {'ours':>7} {'libtorch':>9}   {'backward ratio by round':>26} {'median':>7} {'ours':>7} {'libtorch':>9}")
for dtype in ("fp32", "fp64"):
    for (shape, d), runs in sorted(rows.items()):
        if d != dtype:
            continue
        fwd = [o / p for o, _, p, _ in runs]
        bwd = [o / p for _, o, _, p in runs]
        med = lambda xs: statistics.median(xs)
        print(f"{shape:6} {dtype:5} {' '.join(f'{x:5.2f}' for x in fwd):>26} {med(fwd):6.2f}× {med([r[0] for r in runs]):7.1f} {med([r[2] for r in runs]):9.1f}   "
              f"{' '.join(f'{x:5.2f}' for x in bwd):>26} {med(bwd):6.2f}× {med([r[1] for r in runs]):7.1f} {med([r[3] for r in runs]):9.1f}")
EOF
