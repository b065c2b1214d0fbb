#!/usr/bin/env bash
# The docker-compose topology without Docker: two API processes on loopback behind nginx (Debian's package, run from
# a config generated into a temp folder with deploy/nginx/proxy.conf). Sends the seed cases through nginx, kills one
# API mid-run, and fails unless every request was answered correctly. Stops everything it started.
#   scripts/cluster.sh        env: CLUSTER_APP (an existing publish folder), CLUSTER_PORTS ("API1 API2 NGINX"; free ones when unset),
#                             CLUSTER_REQUESTS (400), CLUSTER_THREADS (4)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
read -r api1_port api2_port front_port <<<"${CLUSTER_PORTS:-$(free_port) $(free_port) $(free_port)}"
requests=${CLUSTER_REQUESTS:-400}
threads=${CLUSTER_THREADS:-4}
command -v nginx >/dev/null || { echo "needs nginx: sudo apt-get install -y nginx"; exit 1; }

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user when started by root
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

app=${CLUSTER_APP:-}
if [ -z "$app" ]; then
  echo "publishing the API (Release)"
  app=$work/app
  dotnet publish src/Api -c Release -o "$app" --nologo -v quiet >/dev/null
fi

start_api() { # PORT -> pid in $api_pid
  (cd "$app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$1" \
    Serilog__MinimumLevel__Default=Warning ForwardedHeaders__KnownProxies__0=127.0.0.1 dotnet ConvService.Api.dll >"$work/api-$1.log" 2>&1) &
  api_pid=$!
  pids+=("$api_pid")
}

wait_healthy() { # URL PID
  for _ in $(seq 1 200); do
    curl -fs -o /dev/null "$1/health" && return 0
    kill -0 "$2" 2>/dev/null || { echo "process $2 exited before $1 answered"; return 1; }
    sleep 0.05
  done
  echo "no 200 from $1/health within 10 s"; return 1
}

start_api "$api1_port"; api1=$api_pid
start_api "$api2_port"; api2=$api_pid

cp deploy/nginx/proxy.conf "$work/"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 256; }
http {
    upstream api {
        server 127.0.0.1:$api1_port max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$api2_port max_fails=1 fail_timeout=5s;
        keepalive 16;
    }
    log_format upstream '\$request_uri \$status \$upstream_addr \$upstream_status';
    access_log $work/access.log upstream;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    server {
        listen 127.0.0.1:$front_port;
        location / {
            proxy_pass http://api;
            include proxy.conf;
        }
    }
}
CONF
nginx -t -q -p "$work" -e "$work/error.log" -c "$work/nginx.conf"
nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" -g 'daemon off;' &
front=$!
pids+=("$front")

wait_healthy "http://127.0.0.1:$api1_port" "$api1"
wait_healthy "http://127.0.0.1:$api2_port" "$api2"
wait_healthy "http://127.0.0.1:$front_port" "$front"
echo "nginx :$front_port -> API :$api1_port (pid $api1), API :$api2_port (pid $api2)"
: >"$work/access.log"

status=0
disown "$api1" # its SIGKILL is the point of the run, not news from bash
python3 scripts/cluster_client.py "http://127.0.0.1:$front_port" "$repo/tests/Api.Tests/Conformance/seed.jsonl" \
  "$requests" "$threads" "$api1" || status=1

sleep 0.2 # nginx writes its access log after the response
if kill -0 "$api1" 2>/dev/null; then echo "FAIL: API :$api1_port is still running"; status=1; fi
awk -v a="127.0.0.1:$api1_port" -v b="127.0.0.1:$api2_port" '$1 != "/health" {
    n++; if (index($3, ",")) retried++; else if ($3 == a) one++; else if ($3 == b) two++
    if ($2 != 200) bad++ }
  END { printf "  nginx log: %d requests; answered by :%s %d, by :%s %d, retried on the other API %d; non-200 %d\n",
        n, substr(a, 11), one, substr(b, 11), two, retried, bad }' "$work/access.log"
grep -m 3 ',' "$work/access.log" | sed 's/^/  retried: /' || true
[ "$status" -eq 0 ] && echo "PASS: no request failed while an API process was killed" || echo "FAIL"
exit "$status"
