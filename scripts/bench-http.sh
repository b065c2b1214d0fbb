#!/usr/bin/env bash
# HTTP benchmark: scripts/bench-http.sh [URL] [PEER_URL]
# Without URL (or with "") it publishes a Release build, starts it on $PORT (default 5183) and stops it afterwards. With
# PEER_URL, the seed request also goes to the peer (a Minimal API + System.Text.Json + libtorch service answering
# /conv/forward, e.g. benchmarks/PeerService/run.sh PORT), interleaved with ours: ours, peer, ours, peer, $DURATION
# each, and the ratio of each pair. SEED_ONLY=1 stops after the seed request. Side by side in one sitting:
#   1. the seed request (5×5 ⊛ 3×3) with wrk, $CONNECTIONS (16) connections, $THREADS (2) threads, $DURATION (15s) each,
#      after a 5 s warm-up of each: as native JSON on /conv/forward, and as FP64 binary on /v2/models/conv2d/infer
#      (tritonclient's framing); their requests/s and the ratio;
#   2. the S2 float32 request (8×64×56×56 ⊛ 64×64×3×3, padding 1): about 12 MB as native JSON, 6.3 MiB as FP32 binary
#      on /v2, timed with scripts/post.py (each on a new connection), $RUNS (7) times each after $WARMUPS (10) untimed
#      ones (the first requests of a path run while tiered compilation replaces its code: the first binary S2 request
#      takes about 0.6 s, the next few 2-4× their steady time), interleaved so that the machine's load falls
#      on both alike; medians, best, and the JSON/binary ratio of the medians;
#      With the service started here also the service's CPU time per request (user + system, from /proc), which the
#      machine's load stretches far less than wall-clock time: the same ratio, measured on the work itself.
#   3. with the service started here, the resident-memory growth each route's first S2 request causes (its peak over
#      the resident size just before it), against its body: binary first, on a service that has seen no S2 request.
#      The convolution itself needs its output and a padded copy of its input whatever the wire format (2 bodies'
#      worth), so the wire's own share is measured too: the same 6.3 MiB FP32 input sent first to global average
#      pooling (/v2/models/avg_pool2d, kernel_size [56,56], a 2 KB output) grows the service by the input buffer alone.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16} THREADS=${THREADS:-2} DURATION=${DURATION:-15s} RUNS=${RUNS:-7} WARMUPS=${WARMUPS:-10} PORT=${PORT:-5183}
source scripts/service.sh
trap stop_service EXIT
start_service "${1:-}"
python3 scripts/bodies.py "$work" seed s2
infer="$url/v2/models/conv2d/infer"
# The growth rows' single requests (any client will do for a first request's memory).
json() { curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary "@$work/$1.json" "$url/conv/forward"; }
bin() { curl -fsS -o /dev/null -H 'Content-Type:' -H "Inference-Header-Content-Length: $(cat "$work/$1.hlen")" --data-binary "@$work/$1.bin" "${2:-$infer}"; }
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }
median() { sort -n | awk '{ t[NR] = $1 } END { printf "%.1f %.1f\n", t[int((NR + 1) / 2)] * 1000, t[1] * 1000 }'; }

# The peak resident growth of one request over the resident size just before it (the peak counter reset first).
growth() {
  [[ -n "$pid" ]] || return 0
  local base; base=$(memory_kb VmRSS)
  echo 5 > "/proc/$pid/clear_refs"
  "$@" >/dev/null
  awk -v base="$base" -v peak="$(memory_kb VmHWM)" 'BEGIN { printf "%.1f", (peak - base) / 1024 }'
}

# Warm up for 5 s first: tiered compilation and PGO take a few seconds of traffic to settle on optimised code.
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$work/seed.lua" "$url/conv/forward" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$work/seed-bin.lua" "$infer" >/dev/null
echo "== seed request: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a 5 s warm-up each); load: $(cut -d' ' -f1-3 /proc/loadavg)"
native=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/seed.lua" "$url/conv/forward" | grep RESULT)
binary=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/seed-bin.lua" "$infer" | grep RESULT)
echo "${native/RESULT/RESULT seed json}"
echo "${binary/RESULT/RESULT seed v2-binary}"
awk -v a="$native" -v b="$binary" 'BEGIN { match(a, /requests\/s=[0-9.]+/); x = substr(a, RSTART + 11, RLENGTH - 11)
  match(b, /requests\/s=[0-9.]+/); y = substr(b, RSTART + 11, RLENGTH - 11); printf "RESULT seed v2-binary/json requests/s=%.2f\n", y / x }'

peer=${2:-}
if [[ -n "$peer" ]]; then
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$work/seed.lua" "$peer/conv/forward" >/dev/null
  echo "== seed request against the peer at $peer, interleaved; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in 1 2; do
    ours=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/seed.lua" "$url/conv/forward" | grep RESULT)
    theirs=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/seed.lua" "$peer/conv/forward" | grep RESULT)
    echo "${ours/RESULT/RESULT seed json round $round}"
    echo "${theirs/RESULT/RESULT seed peer round $round}"
    awk -v a="$ours" -v b="$theirs" -v r="$round" 'BEGIN { match(a, /requests\/s=[0-9.]+/); x = substr(a, RSTART + 11, RLENGTH - 11)
      match(b, /requests\/s=[0-9.]+/); y = substr(b, RSTART + 11, RLENGTH - 11); printf "RESULT seed ours/peer requests/s round %d=%.2f×\n", r, x / y }'
  done
fi
[[ "${SEED_ONLY:-}" == 1 ]] && { echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"; exit 0; }

echo "== S2 float32 request: $(mib "$work/s2.json") MiB as JSON, $(mib "$work/s2.bin") MiB binary; $RUNS runs each after $WARMUPS warm-ups, interleaved"
wire_growth=$(growth bin s2-pool "$url/v2/models/avg_pool2d/infer")
bin_growth=$(growth bin s2)
json_growth=$(growth json s2)
python3 scripts/post.py "$RUNS" "$WARMUPS" "${pid:-0}" \
  "json|$url/conv/forward|$work/s2.json|Content-Type: application/json" \
  "bin|$infer|$work/s2.bin|Inference-Header-Content-Length: $(cat "$work/s2.hlen")" >"$work/s2.timed"
read -r json_median json_best < <(awk '$1 == "json" { print $2 }' "$work/s2.timed" | median)
read -r bin_median bin_best < <(awk '$1 == "bin" { print $2 }' "$work/s2.timed" | median)
echo "RESULT s2 json median=${json_median}ms best=${json_best}ms"
echo "RESULT s2 v2-binary median=${bin_median}ms best=${bin_best}ms"
awk -v j="$json_median" -v b="$bin_median" 'BEGIN { printf "RESULT s2 json/v2-binary median=%.1f×\n", j / b }'
if [[ -n "$pid" ]]; then
  json_cpu=$(awk '$1 == "json" { s += $3; n++ } END { printf "%.0f", s / n }' "$work/s2.timed")
  bin_cpu=$(awk '$1 == "bin" { s += $3; n++ } END { printf "%.0f", s / n }' "$work/s2.timed")
  awk -v j="$json_cpu" -v b="$bin_cpu" 'BEGIN { printf "RESULT s2 service CPU per request: json=%dms v2-binary=%dms json/v2-binary=%.1f×\n", j, b, j / (b > 0 ? b : 1) }'
  awk -v g="$bin_growth" -v body="$(mib "$work/s2.bin")" 'BEGIN { printf "RESULT s2 v2-binary first-request memory growth=%.1f MiB = %.2f× the body\n", g, g / body }'
  awk -v g="$json_growth" -v body="$(mib "$work/s2.json")" 'BEGIN { printf "RESULT s2 json first-request memory growth=%.1f MiB = %.2f× the body\n", g, g / body }'
  echo "RESULT s2 v2-binary steady memory growth=$(growth bin s2) MiB (a further request, buffers pooled)"
  awk -v g="$wire_growth" -v body="$(mib "$work/s2-pool.bin")" 'BEGIN { printf "RESULT s2 input v2-binary wire memory growth=%.1f MiB = %.2f× the body (first request: global average pooling of the S2 input)\n", g, g / body }'
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
