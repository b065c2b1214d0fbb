#!/usr/bin/env bash
# The service compiled ahead of time to one native executable (no JIT): it answers its first /health in about 0.1 s
# and runs at full speed from its first request, but its steady small-request throughput is lower than the JIT's,
# which optimises with the profile it gathers (README, "A native build").
#   scripts/publish-native.sh OUT_DIR [ISA]
# ISA is the instruction set the kernels are compiled for: native (this machine's, the default), x86-x64-v3 (AVX2 and
# FMA: any machine since Haswell and Zen) or x86-x64-v4 (AVX-512). Without AVX the kernels would run at SSE width.
# Needs clang (Debian's clang-14 will do) as the linker.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/publish-native.sh OUT_DIR [ISA]}
isa=${2:-native}
linker=$(command -v clang || command -v clang-14 || true)
if [ -z "$linker" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq clang >/dev/null
  linker=$(command -v clang)
fi
# The remaining trim and AOT warnings (IL…) are reflection the native build does not reach (ServiceLimits' [Range]s are
# checked by generated code; the validators are registered by name) or library code it works around; they are counted,
# not shown. The conformance cases, run against the native build in CI, are what prove it.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet publish src/Api -c Release -r linux-x64 -o "$out" --nologo -v quiet \
  -p:PublishAot=true -p:SelfContained=true -p:IlcInstructionSet="$isa" \
  -p:CppCompilerAndLinker="$(basename "$linker")" -p:TreatWarningsAsErrors=false >"$log" 2>&1 || { cat "$log"; exit 1; }
grep -Ev 'warning IL[0-9]+' "$log" | grep -v '^\s*$' || true
echo "$(grep -Ec 'warning IL[0-9]+' "$log" || true) trim and AOT analysis warnings"
# The hot methods laid out first (scripts/native-layout.sh): how many of those the list names this build still has.
layout=src/Api/NativeLayout.txt
if [ -f "$layout" ] && [ -f "$out/ConvService.Api.dbg" ] && command -v nm >/dev/null; then
  listed=$(grep -v '^#' "$layout" | LC_ALL=C sort -u)
  placed=$(LC_ALL=C comm -12 <(echo "$listed") <(nm "$out/ConvService.Api.dbg" | awk '$2 ~ /^[tT]$/ {print $3}' | LC_ALL=C sort -u) | wc -l)
  echo "method layout: $placed of $(echo "$listed" | wc -l) methods in $layout found and laid out first (scripts/native-layout.sh renews the list)"
fi
echo "native service: $out/ConvService.Api ($(du -h "$out/ConvService.Api" | cut -f1), instruction set $isa)"
