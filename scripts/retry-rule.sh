#!/usr/bin/env bash
# nginx's retry rule (deploy/nginx/proxy.conf), checked with Debian's nginx in front of two stub replicas that answer
# what the path asks for: a request an API answered (its 504 at the time limit, its 429 when full, a readiness 503)
# is passed on from one replica, never resent, and leaves both replicas in the rotation; a request no replica
# answered (the connection reset) goes to the other one. Stops everything it started.
#   scripts/retry-rule.sh     env: RETRY_PORTS ("STUB1 STUB2 NGINX"; free ones when unset)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nginx >/dev/null || { echo "needs nginx: sudo apt-get install -y nginx"; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
read -r stub1 stub2 front <<<"${RETRY_PORTS:-$(free_port) $(free_port) $(free_port)}"

work=$(mktemp -d)
chmod 755 "$work"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

# A stub replica: a path ending in /NNN answers status NNN; /flaky resets the connection on the first port, answers 200 on the other.
cat >"$work/stub.py" <<'PY'
import http.server, socket, struct, sys
port, flaky = int(sys.argv[1]), sys.argv[2] == "flaky"
class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def answer(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/flaky" and flaky:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.wfile.close()
            self.rfile.close()
            self.connection.close()  # a reset, no answer: what a killed replica leaves
            return
        last = self.path.rsplit("/", 1)[-1]
        status = int(last) if last.isdigit() else 200
        body = b'{"from": %d}' % port
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Stub).serve_forever()
PY
python3 "$work/stub.py" "$stub1" flaky 2>/dev/null & pids+=($!)
python3 "$work/stub.py" "$stub2" steady 2>/dev/null & pids+=($!)

cp deploy/nginx/proxy.conf "$work/"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 64; }
http {
    upstream api {
        server 127.0.0.1:$stub1 max_fails=1 fail_timeout=30s;
        server 127.0.0.1:$stub2 max_fails=1 fail_timeout=30s;
        keepalive 4;
    }
    log_format tries '\$request_uri \$status \$upstream_addr';
    access_log $work/access.log tries;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    server {
        listen 127.0.0.1:$front;
        location / {
            proxy_pass http://api;
            include proxy.conf;
        }
    }
}
CONF
nginx -t -q -p "$work" -e "$work/error.log" -c "$work/nginx.conf"
nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)
for port in "$stub1" "$stub2" "$front"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/answer/200" && break; sleep 0.1; done
done
: >"$work/access.log"

status=0
send() { # METHOD PATH EXPECTED_STATUS EXPECTED_TRIES WHAT
  local got tries
  got=$(curl -s -o /dev/null -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$front$2")
  sleep 0.1
  tries=$(tail -1 "$work/access.log" | awk '{ print NF - 2 }')
  if [ "$got" = "$3" ] && [ "$tries" = "$4" ]; then echo "  ok: $5 ($got, $tries replica(s) tried)"
  else echo "  FAIL: $5: got $got after $tries replica(s) tried, expected $3 after $4"; status=1; fi
}
echo "nginx :$front -> stub replicas :$stub1 (resets /flaky), :$stub2"
send POST /answer/504 504 1 "a 504 the API answered at its time limit is passed on, not resent"
send POST /answer/429 429 1 "a 429 from a full replica is passed on, not resent"
send GET /health/ready/503 503 1 "a replica's readiness 503 is passed on, not resent"
send POST /answer/200 200 1 "both replicas are still in the rotation afterwards"
send POST /answer/200 200 1 "both replicas are still in the rotation afterwards"
# Last: the replica that resets is then out of the rotation for fail_timeout. Round robin sends one of the two to it.
resent=0
for _ in 1 2; do
  got=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$front/flaky")
  sleep 0.1
  tries=$(tail -1 "$work/access.log" | awk '{ print NF - 2 }')
  [ "$got" = 200 ] || { echo "  FAIL: /flaky answered $got after $tries replica(s) tried"; status=1; }
  [ "$tries" = 2 ] && resent=1
done
[ "$resent" = 1 ] && echo "  ok: a reset connection (no answer) is resent to the other replica, and answered" \
  || { echo "  FAIL: no /flaky request went to the replica that resets"; status=1; }
[ "$status" -eq 0 ] && echo "PASS: nginx resends only what no replica answered" || { echo "FAIL"; sed 's/^/  access: /' "$work/access.log"; }
exit "$status"
