#!/usr/bin/env bash
# docker-compose.yml for real, as a new user would run it: builds the image, checks that it runs as a non-root user,
# starts nginx and two API replicas (`up -d --scale api=2`), waits until both replicas' healthchecks pass, sends the
# seed cases through nginx while one replica is killed (no request may fail), and takes everything down. Prints the
# time from `up` to the first answer. Needs Docker with Compose (v2 `docker compose`, or docker-compose 1.29), curl
# and python3; nothing of this machine's own. Its own project name, image tag and a free host port keep it clear of
# anything else running. Stops and removes everything it started.
#   scripts/compose-check.sh      env: COMPOSE ("docker compose" or "docker-compose"; found when unset),
#                                      COMPOSE_CHECK_PORT (host port; a free one when unset),
#                                      COMPOSE_CHECK_REQUESTS (400), COMPOSE_CHECK_THREADS (4)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${COMPOSE:-}" ]; then
  read -ra compose <<<"$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  echo "needs Docker Compose: docker compose (v2) or docker-compose"; exit 1
fi
requests=${COMPOSE_CHECK_REQUESTS:-400}
threads=${COMPOSE_CHECK_THREADS:-4}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

project=convcheck$$
export COMPOSE_PROJECT_NAME=$project CONVSERVICE_IMAGE=convservice-check:$project LOG_LEVEL=Warning
export CONVSERVICE_PORT=${COMPOSE_CHECK_PORT:-$(free_port)}
front=http://127.0.0.1:$CONVSERVICE_PORT
seed='{"input": [[4,5,2,2,1],[3,3,2,2,4],[4,3,4,1,1],[5,1,4,1,2],[5,1,3,1,4]], "kernel": [[4,3,3],[5,5,5],[2,4,3]]}'
clock=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - $1) / 1000000 ))"; } # milliseconds since $1
status=0
fail() { echo "FAIL: $*"; status=1; }

down() {
  if [ "$status" -ne 0 ]; then
    for c in $("${compose[@]}" ps -q 2>/dev/null); do
      echo "--- $(docker inspect -f '{{.Name}} {{.State.Status}} health={{if .State.Health}}{{.State.Health.Status}}{{end}}' "$c")"
      docker inspect -f '{{if .State.Health}}{{range .State.Health.Log}}{{.Output}}{{end}}{{end}}' "$c" | tail -3
      docker logs --tail 15 "$c" 2>&1 | cut -c1-300
    done
  fi
  "${compose[@]}" down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 || true
  docker image rm -f "$CONVSERVICE_IMAGE" >/dev/null 2>&1 || true
}
trap down EXIT

echo "compose: ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || "${compose[@]}" version | head -1)); project $project, port $CONVSERVICE_PORT"

step=$(date +%s%N)
docker build -q -t "$CONVSERVICE_IMAGE" . >/dev/null
echo "docker build: $(elapsed "$step") ms"
user=$(docker image inspect -f '{{.Config.User}}' "$CONVSERVICE_IMAGE")
case "$user" in ""|0|root|0:*|root:*) fail "the image runs as root (USER \"$user\")" ;; *) echo "image user: $user" ;; esac

up=$(date +%s%N)
"${compose[@]}" up -d --no-build --scale api=2 2>&1 | sed 's/^/  /'
echo "up -d returned after $(elapsed "$up") ms (it waits for the replicas' healthchecks before it starts nginx)"
first=
for _ in $(seq 1 600); do
  if curl -fs --max-time 5 -H 'Content-Type: application/json' -d "$seed" "$front/conv/forward" 2>/dev/null | grep -q '"output":\[\[109,92,72\]'; then
    first=$(elapsed "$up"); break
  fi
  sleep 0.2
done
[ -n "$first" ] && echo "up to the first answer through nginx: $first ms" || { fail "no seed answer through nginx within 120 s of up"; exit 1; }

mapfile -t replicas < <("${compose[@]}" ps -q api)
[ "${#replicas[@]}" -eq 2 ] || fail "expected 2 api replicas, found ${#replicas[@]}"
for c in "${replicas[@]}"; do
  health=
  for _ in $(seq 1 120); do
    health=$(docker inspect -f '{{.State.Health.Status}}' "$c")
    [ "$health" = healthy ] && break
    sleep 0.5
  done
  uid=$(docker exec "$c" id -u)
  name=$(docker inspect -f '{{.Name}}' "$c")
  [ "$health" = healthy ] || fail "$name is $health"
  [ "$uid" != 0 ] || fail "$name runs as root"
  # The replica starts with the JIT's profile (the Dockerfile's ENV): the file it names must be there to read.
  profile=$(docker exec "$c" sh -c 'test -s "$DOTNET_PGODataPath" && [ "$DOTNET_ReadPGOData" = 1 ] && echo "$DOTNET_PGODataPath"' || true)
  [ -n "$profile" ] || fail "$name has no JIT profile to read"
  # And with the multi-core JIT's start-up list, recorded as the image was built.
  jitlist=$(docker exec "$c" sh -c 'test -s /app/Startup.jitlist && echo /app/Startup.jitlist' || true)
  [ -n "$jitlist" ] || fail "$name has no start-up list (/app/Startup.jitlist)"
  echo "replica ${name#/}: $health, uid $uid, JIT profile ${profile:-missing}, start-up list ${jitlist:-missing}"
done
[ "$status" -eq 0 ] || exit 1

echo "seed cases through nginx, replica ${replicas[0]:0:12} killed halfway:"
python3 scripts/cluster_client.py "$front" tests/Api.Tests/Conformance/seed.jsonl "$requests" "$threads" \
  "docker kill --signal KILL ${replicas[0]}" || fail "a request failed while a replica was killed"
sleep 0.5 # nginx writes its access log after the response
"${compose[@]}" logs --no-color nginx 2>/dev/null | awk '/upstream_status=/ && !/GET \/health/ {
    n++; if ($0 ~ /upstream_status=[0-9]+, /) retried++; if ($0 !~ /" 200 /) bad++ }
  END { printf "  nginx log: %d requests, %d resent to the other replica, %d not 200\n", n, retried, bad }'
"${compose[@]}" logs --no-color nginx 2>/dev/null | grep -E '\[(error|warn)\]' | sed -E 's/^[^|]*\| //; s/, client:.*//' | head -4 | sed 's/^/  nginx: /' || true

step=$(date +%s%N)
down
echo "down: $(elapsed "$step") ms; whole check: $(( $(elapsed "$clock") / 1000 )) s"
trap - EXIT
[ "$status" -eq 0 ] && echo "PASS: compose up, both replicas healthy as a non-root user, no request failed while one was killed" || echo "FAIL"
exit "$status"
