#!/usr/bin/env bash
# The environment that starts a JIT publish with its profile (scripts/jit-profile.sh), one NAME=VALUE per line:
#   env $(scripts/jit-profile-env.sh PUBLISH_DIR) dotnet PUBLISH_DIR/ConvService.Api.dll
# The runtime reads these from the environment only (not from runtimeconfig.json), so the Dockerfile sets the same five.
#   DOTNET_TieredPGO=0                no instrumented compile: the profile stands in for it (and is read only then)
#   DOTNET_ReadPGOData=1, DOTNET_PGODataPath   the profile
#   DOTNET_TC_CallCountingDelayMs=0   count calls from the start, not only once 100 ms pass with no new method run
#   DOTNET_TC_CallCountThreshold=1000 and optimise a method after 1,000 calls rather than 30: the request path's
#                                     methods get there in the first 0.1 s of traffic, while the many that start-up
#                                     calls 30 times are left alone (at 30, the first /health 200 came 60-110 ms later)
# Prints nothing when PUBLISH_DIR has no JitProfile.txt (a native publish) or JIT_PROFILE=0, so a caller can always
# use it; with JIT_PROFILE=0 a service starts with the runtime's defaults (dynamic PGO), to compare.
set -euo pipefail
dir=$(cd "${1:?usage: jit-profile-env.sh PUBLISH_DIR}" && pwd)
[ "${JIT_PROFILE:-1}" != 0 ] && [ -f "$dir/JitProfile.txt" ] || exit 0
printf '%s\n' DOTNET_TieredPGO=0 DOTNET_ReadPGOData=1 "DOTNET_PGODataPath=$dir/JitProfile.txt" DOTNET_TC_CallCountingDelayMs=0 \
  DOTNET_TC_CallCountThreshold=1000
