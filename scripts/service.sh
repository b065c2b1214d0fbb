# Sourced by the load and benchmark scripts: start_service [URL] leaves $url set and, when it started the service
# itself (a fresh Release publish on 127.0.0.1:$PORT, warnings-only logs unless LOG_LEVEL=Information asks for the
# service's default per-request lines), $pid; the caller's EXIT trap calls
# stop_service. memory_kb FIELD reads VmRSS or VmHWM of that process.
work=${work:-$(mktemp -d)}
pid=""

start_service() {
  url=${1:-}
  [[ -n "$url" ]] && return
  dotnet publish src/Api -c Release -o "$work/app" --nologo -v quiet >/dev/null
  url="http://127.0.0.1:${PORT:-5184}"
  env $(scripts/jit-profile-env.sh "$work/app") ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=${LOG_LEVEL:-Warning} \
    dotnet "$work/app/ConvService.Api.dll" --urls "$url" >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -fs "$url/health/live" >/dev/null && return; sleep 0.2; done
  echo "the service did not start:"; cat "$work/service.log"; return 1
}

stop_service() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }

memory_kb() { [[ -n "$pid" ]] && awk -v field="$1:" '$1 == field {print $2}' "/proc/$pid/status" || echo 0; }

rss() { [[ -n "$pid" ]] && echo "$(( $(memory_kb VmRSS) / 1024 )) MB" || echo "n/a (service not started here)"; }
