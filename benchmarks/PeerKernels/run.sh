#!/usr/bin/env bash
# ConvService's convolution and libtorch's, call by call in one process (Program.cs says how they are compared):
#   benchmarks/PeerKernels/run.sh [SECONDS per pass (2)] [float32|float64|both] [S1 … S7]
# (libtorch's preparation on Debian 12: ../libtorch.sh.) Measurement tool only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../libtorch.sh"
libtorch_build "$here/PeerKernels.csproj" "${TMPDIR:-/tmp}/convservice-peer-kernels"
LD_PRELOAD=$libtorch_preload dotnet "${TMPDIR:-/tmp}/convservice-peer-kernels/bin/PeerKernels.dll" "$@" 2> >(grep -v NNPACK >&2)
