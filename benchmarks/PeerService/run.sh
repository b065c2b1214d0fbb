#!/usr/bin/env bash
# Builds and starts the HTTP peer (Minimal API + System.Text.Json + libtorch) on 127.0.0.1:PORT, in the foreground:
#   benchmarks/PeerService/run.sh PORT
# Debian 12's libstdc++ lacks GLIBCXX_3.4.32, which TorchSharp's native wrapper asks for only for one no-op symbol
# (std::ios_base_library_init): a one-line shim defining it is preloaded, and the wrapper's version need is lowered
# with the shared peer tool's patch_verneed.py where the package still asks for 3.4.32. Measurement tool only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${1:?usage: run.sh PORT}
out=${TMPDIR:-/tmp}/convservice-peer-service
mkdir -p "$out"
dotnet build -c Release "$here/PeerService.csproj" -o "$out/bin" --nologo -v quiet >"$out/build.log" || { grep -E "error" "$out/build.log" | head; exit 1; }
native=$(find "$out/bin" -name libLibTorchSharp.so | head -n 1)
if objdump -T "$native" | grep -q GLIBCXX_3.4.32; then
  patch=${PATCH_VERNEED:-$here/../../../shared/tools/peer/patch_verneed.py}
  [ -f "$patch" ] || { echo "libLibTorchSharp.so needs GLIBCXX_3.4.32; set PATCH_VERNEED to the shared peer tool's patch_verneed.py"; exit 1; }
  python3 "$patch" "$native" >/dev/null
fi
[ -f "$out/shim.so" ] || gcc -shared -fPIC -o "$out/shim.so" -x c - <<<'void _ZSt21ios_base_library_initv(void) {}'
LD_PRELOAD=$out/shim.so exec dotnet "$out/bin/PeerService.dll" --urls "http://127.0.0.1:$port" 2> >(grep -v NNPACK >&2)
