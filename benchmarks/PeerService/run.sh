#!/usr/bin/env bash
# Builds and starts the HTTP peer (Minimal API + System.Text.Json + libtorch) on 127.0.0.1:PORT, in the foreground:
#   benchmarks/PeerService/run.sh PORT
# (libtorch's preparation on Debian 12: ../libtorch.sh.) Measurement tool only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${1:?usage: run.sh PORT}
source "$here/../libtorch.sh"
libtorch_build "$here/PeerService.csproj" "${TMPDIR:-/tmp}/convservice-peer-service"
LD_PRELOAD=$libtorch_preload exec dotnet "${TMPDIR:-/tmp}/convservice-peer-service/bin/PeerService.dll" --urls "http://127.0.0.1:$port" 2> >(grep -v NNPACK >&2)
