#!/usr/bin/env bash
# Compares one convolution pass between two builds of the benchmarks, run by turns so that the machine's drift falls
# on both alike: for each round and shape, build A's median, then build B's, and A/B (above 1 means B is faster).
# Usage: scripts/ab-pass.sh A_DLL B_DLL PASS ROUNDS SECONDS SHAPE... [fp64]
#   A_DLL, B_DLL  ConvService.Benchmarks.dll of each build (dotnet build -c Release benchmarks/ConvService.Benchmarks
#                 in two worktrees), PASS forward|backward|data|kernel|fold|pad, e.g.
#   scripts/ab-pass.sh /tmp/a/…/ConvService.Benchmarks.dll benchmarks/ConvService.Benchmarks/bin/Release/net10.0/ConvService.Benchmarks.dll kernel 3 2 S3 S7
set -euo pipefail
a=$1 b=$2 pass=$3 rounds=$4 seconds=$5
shift 5
dtype=""
shapes=()
for arg in "$@"; do
    if [ "$arg" = fp64 ]; then dtype=fp64; else shapes+=("$arg"); fi
done
# AB_STAT=fastest compares each run's fastest pass instead of its median (steadier when other tenants come and go).
field=5
[ "${AB_STAT:-median}" = fastest ] && field=11
median() { dotnet "$1" --pass "$2" "$pass" "$seconds" $dtype | awk -v f="$field" '{print $f}'; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), comparing each run's ${AB_STAT:-median}"
for round in $(seq "$rounds"); do
    for shape in "${shapes[@]}"; do
        ma=$(median "$a" "$shape")
        mb=$(median "$b" "$shape")
        echo "round $round $shape $pass ${dtype:-fp32}: A $ma ms  B $mb ms  A/B $(awk -v x="$ma" -v y="$mb" 'BEGIN { printf "%.3f", x / y }')"
    done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
