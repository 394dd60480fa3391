#!/usr/bin/env bash
# bench/config-propagation.sh — how fast a config change reaches traffic, and what scale costs.
#
#   bench/config-propagation.sh                        # 10 / 1,000 / 5,000 routes x 7 trials, scale at 1,000 / 10,000
#   bench/config-propagation.sh --routes "10 5000" --trials 5 --scale ""
#
# Propagation: for each N, `weft up` serves the bench config (bench/lib/gen-config.py) with N HTTPRoutes.
# Each trial writes ONE new HTTPRoute file (hostname new-K.bench.example.com, a ResponseHeaderModifier
# setting x-bench-route: new-K) into the watched folder (written beside it, then renamed in, as editors
# do) and times from the rename to the first 200 carrying that header (until then the hostname-less
# catch-all routes answer), polled on a keep-alive connection ~1 ms apart.
# Meanwhile h2load hammers an existing route (`/` on 127.0.0.1, 2 connections at 250 req/s each);
# any non-2xx or failed request is counted. Reported: median, min, max over the trials.
#
# Scale: for each N, the time `weft up` takes from start to serving, the translator's own time (from
# its debug log), and RSS of the embedded process (control plane + proxy) and of a `weft proxy`
# alone (fed by a separate `weft up --no-gateways`), after serving N routes.
#
# Needs: nginx (backend), h2load (nghttp2-client), python3, the .NET SDK. 127.0.0.1 only; every
# process started here is stopped by PID. Raw output: $WEFT_BENCH_WORK/propagation/ (default /tmp/weft-bench).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${WEFT_BENCH_WORK:-/tmp/weft-bench}
OUT=$WORK/propagation
ROUTES="10 1000 5000"
SCALE="1000 10000"
TRIALS=7
BE_PORT=18280          # own backend, so this can run beside peers.sh
GW_PORT=18230          # listener 80 + offset 18150
PX_PORT=18240          # proxy-only variant: listener 80 + offset 18160
CP_XDS=18245

while [[ $# -gt 0 ]]; do
  case $1 in
    --routes) ROUTES=$2; shift 2;;
    --scale) SCALE=$2; shift 2;;
    --trials) TRIALS=$2; shift 2;;
    -h|--help) sed -n '2,20p' "$0"; exit 0;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
for t in nginx h2load python3 dotnet curl; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done
mkdir -p "$OUT"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

WEFT_DLL=$WORK/artifacts/bin/Weft.Cli/release/weft.dll
if [[ ${WEFT_NO_BUILD:-0} != 1 || ! -f $WEFT_DLL ]]; then
  log "building weft (Release) into $WORK/artifacts"
  dotnet build "$REPO/src/Weft.Cli/Weft.Cli.csproj" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q \
    >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; exit 2; }
fi

PIDS=()
stop() { local p=$1; [[ -d /proc/$p ]] || return 0; kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do [[ -d /proc/$p ]] || return 0; sleep 0.1; done; kill -KILL "$p" 2>/dev/null || true; }
cleanup() { local i; for (( i=${#PIDS[@]}-1; i>=0; i-- )); do stop "${PIDS[$i]}"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- backend: nginx return 200 (same as peers.sh)
mkdir -p "$OUT/backend/tmp"
cat >"$OUT/backend/nginx.conf" <<EOF
worker_processes 1;
daemon off;
user www-data www-data;
pid $OUT/backend/nginx.pid;
error_log $OUT/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/backend/tmp;
  keepalive_requests 10000000;
  server { listen 127.0.0.1:$BE_PORT; default_type text/plain; location / { return 200 "Hello, World!"; } }
}
EOF
nginx -e "$OUT/backend/error.log" -p "$OUT/backend" -c "$OUT/backend/nginx.conf" >"$OUT/backend.log" 2>&1 &
PIDS+=($!)

wait_200() {  # wait_200 URL [HOST] [timeout s] -> prints ms waited
  python3 - "$@" <<'EOF'
import http.client, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1]); host = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 120
t0 = time.monotonic()
while time.monotonic() - t0 < limit:
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
        c.request("GET", u.path or "/", headers={"Host": host} if host else {})
        if c.getresponse().status == 200:
            print(f"{(time.monotonic() - t0) * 1000:.0f}"); sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
print("timeout"); sys.exit(1)
EOF
}
rss_mib() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status"; }
gen() { rm -rf "$2"; python3 "$HERE/lib/gen-config.py" "$2" --routes "$1" --hosts $(( $1 / 5 > 20 ? $1 / 5 : 20 )) --backend-port "$BE_PORT"; }
translate_ms() { grep -o 'replayed) in [0-9.]* ms' "$1" | tail -1 | awk '{print $3}'; }

# one trial: rename a new route file in, poll until its first 200, with a hammer on an existing route
TRIAL_PY=$(cat <<'EOF'
import http.client, os, sys, time
cfg, k, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
host = f"new-{k}.bench.example.com"
doc = f"""apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: new-{k}
  namespace: bench
spec:
  parentRefs:
  - name: bench-gw
  hostnames:
  - {host}
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        set:
        - name: x-bench-route
          value: new-{k}
    backendRefs:
    - name: svc-0
      port: 80
"""
tmp = os.path.join(os.path.dirname(cfg.rstrip("/")), f".new-{k}.yaml.tmp")
with open(tmp, "w") as f:
    f.write(doc)
    f.flush(); os.fsync(f.fileno())
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
def status():
    global conn
    try:
        conn.request("GET", "/", headers={"Host": host}); r = conn.getresponse(); r.read()
        # Before the route exists the hostname-less catch-all routes answer 200 too: the new route is
        # the one whose response carries its header.
        return r.status if r.getheader("x-bench-route") == f"new-{k}" else -r.status
    except (OSError, http.client.HTTPException):
        conn.close(); conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5); return -1
assert status() != 200, "route answered before it was written"
t0 = time.monotonic()
os.rename(tmp, os.path.join(cfg, f"new-{k}.yaml"))
while True:
    s = status()
    if s == 200:
        print(f"{(time.monotonic() - t0) * 1000:.1f}"); break
    if time.monotonic() - t0 > 30:
        print("timeout"); break
    time.sleep(0.001)
EOF
)

RESULTS=$OUT/results.tsv
printf 'kind\troutes\tfield\tvalue\n' >"$RESULTS"

for n in $ROUTES; do
  cfg=$OUT/cfg-$n; gen "$n" "$cfg"
  t0=$(date +%s%N)
  dotnet "$WEFT_DLL" up -f "$cfg" --port-offset $(( GW_PORT - 80 )) --xds-port 0 --admin-port 0 --log-level Debug >"$OUT/up-$n.log" 2>&1 &
  UP=$!; PIDS+=($UP)
  wait_200 "http://127.0.0.1:$GW_PORT/" "" 180 >/dev/null || { log "weft up ($n routes) not serving; see $OUT/up-$n.log"; exit 1; }
  log "$n routes: serving after $(( ($(date +%s%N) - t0) / 1000000 )) ms, translation $(translate_ms "$OUT/up-$n.log") ms, RSS $(rss_mib $UP) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
  sleep 2
  times=(); failed=0
  for k in $(seq 1 "$TRIALS"); do
    hl=$OUT/hammer-$n-$k.log
    h2load --h1 -c2 -m1 --rps 250 -D 4 "http://127.0.0.1:$GW_PORT/" >"$hl" 2>&1 &
    HP=$!
    sleep 0.8
    ms=$(python3 -c "$TRIAL_PY" "$cfg" "$n-$k" "$GW_PORT")
    wait $HP || true
    bad=$(awk '/^requests:/{gsub(/,/,""); e=$10+$12+$14} /^status codes:/{gsub(/,/,""); e+=$5+$7+$9} END{print e+0}' "$hl")
    ok=$(awk '/^status codes:/{gsub(/,/,""); print $3}' "$hl")
    times+=("$ms"); failed=$(( failed + bad ))
    log "  trial $k: first 200 after $ms ms; hammer: $ok x 2xx, $bad failed/non-2xx"
    printf 'propagation\t%s\ttrial_ms\t%s\n' "$n" "$ms" >>"$RESULTS"
    printf 'propagation\t%s\thammer_bad\t%s\n' "$n" "$bad" >>"$RESULTS"
    sleep 0.5
  done
  printf 'propagation\t%s\ttranslate_ms\t%s\n' "$n" "$(translate_ms "$OUT/up-$n.log")" >>"$RESULTS"
  printf 'propagation\t%s\tloadavg\t%s\n' "$n" "$(cut -d' ' -f1 /proc/loadavg)" >>"$RESULTS"
  python3 - "$n" "$failed" "${times[@]}" <<'EOF'
import statistics, sys
n, failed, ts = sys.argv[1], sys.argv[2], [float(t) for t in sys.argv[3:] if t != "timeout"]
print(f"propagation {n} routes: median {statistics.median(ts):.0f} ms, min {min(ts):.0f}, max {max(ts):.0f} over {len(ts)} trials; failed requests meanwhile: {failed}")
EOF
  stop $UP
done

for n in $SCALE; do
  cfg=$OUT/scale-$n; gen "$n" "$cfg"
  t0=$(date +%s%N)
  dotnet "$WEFT_DLL" up -f "$cfg" --port-offset $(( GW_PORT - 80 )) --xds-port 0 --admin-port 0 --log-level Debug >"$OUT/scale-up-$n.log" 2>&1 &
  UP=$!; PIDS+=($UP)
  wait_200 "http://127.0.0.1:$GW_PORT/" "" 300 >/dev/null || { log "weft up ($n routes) not serving"; exit 1; }
  ready=$(( ($(date +%s%N) - t0) / 1000000 ))
  sleep 3
  emb=$(rss_mib $UP)
  dotnet "$WEFT_DLL" up -f "$cfg" --no-gateways --port-offset $(( PX_PORT - 80 )) --xds-port "$CP_XDS" --admin-port 0 >"$OUT/scale-cp-$n.log" 2>&1 &
  CP=$!; PIDS+=($CP)
  sleep 1
  dotnet "$WEFT_DLL" proxy --gateway bench/bench-gw --control-plane "http://127.0.0.1:$CP_XDS" >"$OUT/scale-px-$n.log" 2>&1 &
  PX=$!; PIDS+=($PX)
  wait_200 "http://127.0.0.1:$PX_PORT/" "" 300 >/dev/null || { log "weft proxy ($n routes) not serving"; exit 1; }
  sleep 3
  px=$(rss_mib $PX)
  tr=$(translate_ms "$OUT/scale-up-$n.log")
  echo "scale $n routes: weft up serving after $ready ms; translation $tr ms (in-process, first); RSS embedded $emb MiB, proxy-only $px MiB (its control plane: $(rss_mib $CP) MiB); load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'scale\t%s\tready_ms\t%s\nscale\t%s\ttranslate_ms\t%s\nscale\t%s\trss_embedded_mib\t%s\nscale\t%s\trss_proxy_mib\t%s\n' \
    "$n" "$ready" "$n" "$tr" "$n" "$emb" "$n" "$px" >>"$RESULTS"
  stop $PX; stop $CP; stop $UP
done
log "raw results: $OUT"
