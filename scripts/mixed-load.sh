#!/usr/bin/env bash
# Fairness under mixed load (issue 15): scripts/mixed-load.sh [URL]
# Without URL it publishes a Release build, starts it on a free port (or $PORT) and stops it afterwards.
#
# Scenario 1, small requests beside large ones (one sitting):
#   two curl loops post the S2 float32 request (8×64×56×56 ⊛ 64×64×3×3, padding 1, about 12 MB of JSON) for
#   $S2_SECONDS (14) s; after $SEED_DELAY (4) s wrk sends the seed request (5×5 ⊛ 3×3) on $CONNECTIONS (4) connections
#   until the loops stop; then wrk sends the seed alone as long again, and the two loops run alone for
#   $S2_ALONE_SECONDS (6) s more. Prints p50, p99 and rate of the seed under load
#   and alone, and the S2 requests' median alone (finished before wrk started, or in the last phase) and under load (started after it).
#   Targets: seed p99 under load ≤ 20 ms; seed rate under load ≥ 25% of alone; S2 median under load ≤ 1.5× alone.
#   The S2 loops are two clients (from 127.0.0.2 and 127.0.0.3), the seed a third (wrk, from 127.0.0.1).
# Scenario 2, one client floods: wrk posts $FLOOD_BODY (medium: 1×16×64×64 ⊛ 16×16×3×3, padding 1, 9.4·10⁶
#   multiply-adds, so the expensive lane; or seed) on $FLOOD_CONNECTIONS (64) connections from 127.0.0.1 for
#   $FLOOD_SECONDS (10) s, while another client, from 127.0.0.4, sends a seed request every 50 ms (one Python process,
#   a new connection each time, timing each request from connect to last byte). Distinct loopback
#   addresses are distinct remote addresses, so distinct partitions of the per-client limiter: no proxy or key is
#   involved, the service runs with its defaults. Targets: the flood gets 429s; every request of the other client
#   succeeds, with p99 ≤ 50 ms.
# With a URL on another host, set KEY_FLOOD and KEY_OTHER (two of the service's API keys) to tell the clients apart
# (and LOOPBACK_CLIENTS=0). Exit status 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-4} S2_SECONDS=${S2_SECONDS:-14} SEED_DELAY=${SEED_DELAY:-4}
S2_ALONE_SECONDS=${S2_ALONE_SECONDS:-6} FLOOD_BODY=${FLOOD_BODY:-medium} FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-64} FLOOD_SECONDS=${FLOOD_SECONDS:-10}
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
source scripts/service.sh
trap stop_service EXIT
start_service "${1:-}"
python3 scripts/bodies.py "$work" seed s2 medium
# Each client's key, when the service wants one: its header for curl, and a copy of the wrk script that sends it.
curl_FLOOD=(); curl_OTHER=()
[[ -n "${KEY_FLOOD:-}" ]] && curl_FLOOD=(-H "X-Api-Key: $KEY_FLOOD")
[[ -n "${KEY_OTHER:-}" ]] && curl_OTHER=(-H "X-Api-Key: $KEY_OTHER")
for name in seed "$FLOOD_BODY"; do
  sed "1a wrk.headers[\"X-Api-Key\"] = \"${KEY_FLOOD:-}\"" "$work/$name.lua" >"$work/$name-FLOOD.lua"
  [[ -n "${KEY_FLOOD:-}" ]] || cp "$work/$name.lua" "$work/$name-FLOOD.lua"
done
# Clients from distinct loopback addresses (the service sees distinct remote addresses).
from() { [[ "${LOOPBACK_CLIENTS:-1}" == 1 ]] && echo "--interface 127.0.0.$1" || true; }
post() { curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' "$@"; }
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# wrk's RESULT line → "p50 p99 rate non2xx"
fields() { sed -E 's/.*requests\/s=([0-9.]+) p50=([0-9.]+)ms p99=([0-9.]+)ms requests=[0-9]+ non2xx=([0-9]+).*/\2 \3 \1 \4/'; }
failed=0
check() { if awk "BEGIN { exit !($2) }"; then echo "PASS $1"; else echo "MISS $1"; failed=1; fi; }

# Warm-up: tiered compilation settles in a few seconds of traffic; one S2 request each way.
wrk -t2 -c"$CONNECTIONS" -d3s -s "$work/seed-FLOOD.lua" "$url/conv/forward" >/dev/null
post "${curl_FLOOD[@]}" --data-binary "@$work/s2.json" "$url/conv/forward" >/dev/null

echo "== scenario 1: two S2 loops for ${S2_SECONDS}s, wrk -c$CONNECTIONS seed after ${SEED_DELAY}s; load before: $(load)"
# s2_loop NAME SECONDS ADDRESS: one client posting S2 requests back to back; "start end status seconds" per request.
s2_loop() {
  local began; began=$(now)
  while awk -v s="$began" -v n="$(now)" -v d="$2" 'BEGIN { exit !(n - s < d) }'; do
    local t0; t0=$(now)
    # shellcheck disable=SC2046
    read -r code seconds < <(post $(from "$3") "${curl_OTHER[@]}" --data-binary "@$work/s2.json" "$url/conv/forward")
    echo "$t0 $(now) $code $seconds"
  done >"$work/s2-$1.times"
}
s2_loop a "$S2_SECONDS" 2 & loop_a=$!
s2_loop b "$S2_SECONDS" 3 & loop_b=$!
sleep "$SEED_DELAY"
wrk_start=$(now)
under=$(wrk -t2 -c"$CONNECTIONS" -d"$((S2_SECONDS - SEED_DELAY))s" --latency -s "$work/seed-FLOOD.lua" "$url/conv/forward" | grep RESULT)
wrk_end=$(now)
wait "$loop_a" "$loop_b"
echo "load between: $(load)"
alone=$(wrk -t2 -c"$CONNECTIONS" -d"$((S2_SECONDS - SEED_DELAY))s" --latency -s "$work/seed-FLOOD.lua" "$url/conv/forward" | grep RESULT)
# The S2 loops alone once more, so that their median alone rests on more than the first few seconds' requests.
s2_loop c "$S2_ALONE_SECONDS" 2 & loop_c=$!
s2_loop d "$S2_ALONE_SECONDS" 3 & loop_d=$!
wait "$loop_c" "$loop_d"
read -r under_p50 under_p99 under_rate under_bad <<<"$(fields <<<"$under")"
read -r alone_p50 alone_p99 alone_rate alone_bad <<<"$(fields <<<"$alone")"
# S2 medians: alone = finished before wrk started, or in the last phase; under load = started after wrk started and
# finished before it ended.
cat "$work"/s2-?.times >"$work/s2.times"
s2_bad=$(awk '$3 != 200' "$work/s2.times" | wc -l)
s2_median() { awk "$1" "$work/s2.times" | sort -n | awk '{ t[NR] = $1 } END { if (NR) printf "%.0f %d\n", t[int((NR + 1) / 2)] * 1000, NR; else print "0 0" }'; }
read -r s2_alone n_alone < <(s2_median "\$2 < $wrk_start || \$1 > $wrk_end + 1 { print \$4 }")
read -r s2_under n_under < <(s2_median "\$1 >= $wrk_start && \$2 <= $wrk_end { print \$4 }")
printf 'RESULT seed under load   p50=%sms p99=%sms rate=%s/s non2xx=%s\n' "$under_p50" "$under_p99" "$under_rate" "$under_bad"
printf 'RESULT seed alone        p50=%sms p99=%sms rate=%s/s non2xx=%s\n' "$alone_p50" "$alone_p99" "$alone_rate" "$alone_bad"
printf 'RESULT S2 alone          median=%sms (%s requests)\n' "$s2_alone" "$n_alone"
printf 'RESULT S2 beside seed    median=%sms (%s requests); non-200 S2 answers: %s\n' "$s2_under" "$n_under" "$s2_bad"
awk -v u="$under_rate" -v a="$alone_rate" -v s="$s2_under" -v t="$s2_alone" \
  'BEGIN { printf "RESULT ratios: seed rate under load / alone = %.0f%%, S2 median beside seed / alone = %.2f×\n", 100 * u / a, (t > 0 ? s / t : 0) }'
check "seed p99 under load ≤ 20 ms ($under_p99 ms)" "$under_p99 <= 20"
check "seed rate under load ≥ 25% of alone ($under_rate vs $alone_rate)" "$under_rate >= 0.25 * $alone_rate"
check "S2 median beside seed ≤ 1.5× alone ($s2_under vs $s2_alone ms)" "$n_alone > 0 && $n_under > 0 && $s2_under <= 1.5 * $s2_alone"
check "every request answered 200" "$under_bad == 0 && $alone_bad == 0 && $s2_bad == 0"

echo "== scenario 2: wrk -c$FLOOD_CONNECTIONS $FLOOD_BODY flood for ${FLOOD_SECONDS}s, another client's seed request every 50 ms; load before: $(load)"
wrk -t2 -c"$FLOOD_CONNECTIONS" -d"${FLOOD_SECONDS}s" --latency -s "$work/$FLOOD_BODY-FLOOD.lua" "$url/conv/forward" >"$work/flood.out" & flood=$!
sleep 2
# One process for the other client, so that what is timed is the request, not the start of a curl process each time.
python3 - "$url/conv/forward" "$work/seed.json" "$((FLOOD_SECONDS - 3))" "${KEY_OTHER:-}" "${LOOPBACK_CLIENTS:-1}" >"$work/other.times" <<'PY'
import http.client, sys, time, urllib.parse
url, body, seconds, key, loopback = urllib.parse.urlsplit(sys.argv[1]), open(sys.argv[2], "rb").read(), float(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
headers = {"Content-Type": "application/json", **({"X-Api-Key": key} if key else {})}
end = time.monotonic() + seconds
while time.monotonic() < end:
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30, source_address=("127.0.0.4", 0) if loopback else None)
    began = time.perf_counter()
    try:
        connection.request("POST", url.path, body, headers)
        response = connection.getresponse()
        response.read()
        print(response.status, time.perf_counter() - began, flush=True)
    except OSError:
        print("000", time.perf_counter() - began, flush=True)
    connection.close()
    time.sleep(0.05)
PY
wait "$flood"
echo "load after: $(load)"
read -r flood_p50 flood_p99 flood_rate flood_bad <<<"$(fields <<<"$(grep RESULT "$work/flood.out")")"
other_n=$(wc -l <"$work/other.times")
other_bad=$(awk '$1 != 200' "$work/other.times" | wc -l)
read -r other_p50 other_p99 < <(awk '{ print $2 * 1000 }' "$work/other.times" | sort -n | awk '{ t[NR] = $1 } END { i = int(NR * 0.99 + 0.999); if (i < 1) i = 1; printf "%.1f %.1f\n", t[int((NR + 1) / 2)], t[i] }')
printf 'RESULT flood (one client, %s connections) rate=%s/s p50=%sms p99=%sms non2xx=%s\n' "$FLOOD_CONNECTIONS" "$flood_rate" "$flood_p50" "$flood_p99" "$flood_bad"
printf 'RESULT other client      requests=%s non200=%s p50=%sms p99=%sms\n' "$other_n" "$other_bad" "$other_p50" "$other_p99"
check "the flood is turned away in part (429s: $flood_bad)" "$flood_bad > 0"
check "every request of the other client succeeds ($other_bad of $other_n failed)" "$other_bad == 0 && $other_n > 0"
check "the other client's p99 ≤ 50 ms ($other_p99 ms)" "$other_p99 <= 50"
exit "$failed"
