# Sourced by the run.sh of the projects that load libtorch (PeerService, PeerKernels): libtorch_build PROJECT OUT builds
# PROJECT (Release) into OUT/bin and leaves $libtorch_preload set for LD_PRELOAD.
# Debian 12's libstdc++ lacks GLIBCXX_3.4.32, which TorchSharp's native wrapper asks for only for one no-op symbol
# (std::ios_base_library_init): a one-line shim defining it is preloaded, and the wrapper's version need is lowered
# with the shared peer tool's patch_verneed.py where the package still asks for 3.4.32. Measurement tools only.
libtorch_build() {
  local project=$1 out=$2 here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  mkdir -p "$out"
  dotnet build -c Release "$project" -o "$out/bin" --nologo -v quiet >"$out/build.log" || { grep -E "error" "$out/build.log" | head; return 1; }
  local native
  native=$(find "$out/bin" -name libLibTorchSharp.so | head -n 1)
  # grep reads the whole listing (no -q): under pipefail, objdump killed by a closed pipe would read as "no need".
  if objdump -T "$native" | grep GLIBCXX_3.4.32 >/dev/null; then
    local patch=${PATCH_VERNEED:-$here/../../shared/tools/peer/patch_verneed.py}
    [ -f "$patch" ] || { echo "libLibTorchSharp.so needs GLIBCXX_3.4.32; set PATCH_VERNEED to the shared peer tool's patch_verneed.py"; return 1; }
    python3 "$patch" "$native" >/dev/null
  fi
  [ -f "$out/shim.so" ] || gcc -shared -fPIC -o "$out/shim.so" -x c - <<<'void _ZSt21ios_base_library_initv(void) {}'
  libtorch_preload=$out/shim.so
}
