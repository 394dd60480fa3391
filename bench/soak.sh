#!/usr/bin/env bash
# bench/soak.sh — a soak (not in CI): steady load through a gateway proxy while its config churns and
# its control plane restarts. Reports failed requests (goal 0) and the proxy's RSS over time (goal flat).
#
#   bench/soak.sh                     # 10 minutes
#   bench/soak.sh --duration 120      # seconds
#
# What runs: an Echo backend (samples/Echo), `weft up --no-gateways` on a watched folder (one Gateway,
# a Service with a WorkloadEntry, HTTPRoutes), and a separate `weft proxy --gateway soak/soak-gw` fed over
# the distribution stream, so that restarting the control plane leaves the proxy serving.
#   * load: wrk, 2 threads x 16 connections on the route under test, for the whole duration;
#   * churn, every second: the route under test is rewritten (its response header changes) and one of
#     CHURN_ROUTES extra route files is rewritten or removed — all through files in the watched folder
#     (no `weft apply`, so the API credential is not needed);
#   * restarts, every --restart-every seconds (60): the control plane is stopped (TERM) and started again.
#   * RSS of the proxy process, every 5 s.
# Report: $WEFT_BENCH_WORK/soak/report.txt (default /tmp/weft-bench/soak), with rss.csv and every log beside it.
# Needs: wrk, curl, the .NET SDK. 127.0.0.1 only; every process started here is stopped by PID.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${WEFT_BENCH_WORK:-/tmp/weft-bench}
OUT=$WORK/soak
DURATION=600
RESTART_EVERY=60
CHURN_ROUTES=20
BE_PORT=18380
GW_PORT=18330          # listener 80 + offset 18250
CP_XDS=18345

while [[ $# -gt 0 ]]; do
  case $1 in
    --duration) DURATION=$2; shift 2;;
    --restart-every) RESTART_EVERY=$2; shift 2;;
    -h|--help) sed -n '2,21p' "$0"; exit 0;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null || { echo "missing wrk (apt-get install wrk)" >&2; exit 2; }
for t in curl dotnet; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done
rm -rf "$OUT"; mkdir -p "$OUT/config/routes" "$OUT/home"
# The control plane's credential (and the proxy's, read from the same place) stays with this run.
export WEFT_HOME=$OUT/home
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$OUT/events.log" >&2; }

WEFT_DLL=$WORK/artifacts/bin/Weft.Cli/release/weft.dll
ECHO_DLL=$WORK/artifacts/bin/Echo/release/Weft.Samples.Echo.dll
if [[ ${WEFT_NO_BUILD:-0} != 1 || ! -f $WEFT_DLL || ! -f $ECHO_DLL ]]; then
  log "building weft and Echo (Release) into $WORK/artifacts"
  for p in src/Weft.Cli/Weft.Cli.csproj samples/Echo/Echo.csproj; do
    dotnet build "$REPO/$p" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q >>"$OUT/build.log" 2>&1 \
      || { tail -30 "$OUT/build.log" >&2; exit 2; }
  done
fi

PIDS=()
CP_PID=
stop() { local p=$1; [[ -n $p && -d /proc/$p ]] || return 0; kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do [[ -d /proc/$p ]] || return 0; sleep 0.1; done; kill -KILL "$p" 2>/dev/null || true; }
cleanup() { local i; stop "$CP_PID"; for (( i=${#PIDS[@]}-1; i>=0; i-- )); do stop "${PIDS[$i]}"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- config: written beside the folder, then renamed in, as editors do
put() { local dest=$1; cat >"$OUT/config/.tmp-$$"; mv "$OUT/config/.tmp-$$" "$dest"; }
put "$OUT/config/gateway.yaml" <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: soak}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: soak-gw, namespace: soak}
spec:
  gatewayClassName: weft
  listeners:
  - {name: http, protocol: HTTP, port: 80}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: soak}
spec:
  selector: {app: echo}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: echo-1, namespace: soak}
spec:
  address: 127.0.0.1
  labels: {app: echo}
  ports: {http: $BE_PORT}
EOF
route() { # name, path, header value
  cat <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: $1, namespace: soak}
spec:
  parentRefs: [{name: soak-gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: $2}}, {path: {type: RegularExpression, value: '$2/v[0-9]+/(a|b)+'}}]
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier: {set: [{name: x-soak, value: "$3"}]}
    backendRefs: [{name: echo, port: 80}]
EOF
}
route main / 0 | put "$OUT/config/routes/main.yaml"

# --- processes
dotnet "$ECHO_DLL" --port $BE_PORT >"$OUT/echo.log" 2>&1 &
PIDS+=($!)
start_cp() {
  dotnet "$WEFT_DLL" up -f "$OUT/config" --no-gateways --port-offset $(( GW_PORT - 80 )) --xds-port $CP_XDS --admin-port 0 \
    >>"$OUT/control-plane.log" 2>&1 &
  CP_PID=$!
}
start_cp
dotnet "$WEFT_DLL" proxy --gateway soak/soak-gw --control-plane "http://127.0.0.1:$CP_XDS" >"$OUT/proxy.log" 2>&1 &
PX_PID=$!
PIDS+=($PX_PID)

for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$BE_PORT/" && break
  [[ -d /proc/${PIDS[0]} ]] || { log "the echo backend exited"; tail -20 "$OUT/echo.log" >&2; exit 1; }
  sleep 0.2
done
for _ in $(seq 1 300); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_PORT/" || true) == 200 ]] && break
  [[ -d /proc/$PX_PID ]] || { log "the proxy exited"; tail -20 "$OUT/proxy.log" >&2; exit 1; }
  sleep 0.2
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_PORT/") == 200 ]] \
  || { log "the gateway never served 200 (a token required on the distribution stream? see proxy.log)"; tail -20 "$OUT/proxy.log" >&2; exit 1; }
log "serving on 127.0.0.1:$GW_PORT; soak for ${DURATION}s (restart every ${RESTART_EVERY}s)"

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
echo "seconds,proxy_rss_kib" >"$OUT/rss.csv"

wrk -t2 -c16 -d"${DURATION}s" --timeout 5s "http://127.0.0.1:$GW_PORT/v1/a" >"$OUT/wrk.txt" 2>&1 &
WRK_PID=$!
PIDS+=($WRK_PID)

start=$SECONDS; churns=0; restarts=0; next_restart=$RESTART_EVERY
while [[ -d /proc/$WRK_PID ]] && (( SECONDS - start < DURATION + 5 )); do
  t=$(( SECONDS - start ))
  (( t % 5 == 0 )) && echo "$t,$(rss $PX_PID)" >>"$OUT/rss.csv"
  churns=$(( churns + 1 ))
  route main / "$churns" | put "$OUT/config/routes/main.yaml"
  k=$(( churns % CHURN_ROUTES ))
  if (( churns % 3 == 0 )); then rm -f "$OUT/config/routes/extra-$k.yaml"
  else route "extra-$k" "/extra-$k" "$churns" | put "$OUT/config/routes/extra-$k.yaml"; fi
  if (( t >= next_restart )); then
    log "restarting the control plane"
    stop "$CP_PID"; start_cp; restarts=$(( restarts + 1 )); next_restart=$(( next_restart + RESTART_EVERY ))
  fi
  [[ -d /proc/$PX_PID ]] || { log "the proxy exited"; break; }
  sleep 1
done
wait "$WRK_PID" || true
echo "$(( SECONDS - start )),$(rss $PX_PID)" >>"$OUT/rss.csv"

requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx/ {print $2}' "$OUT/wrk.txt"); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$OUT/wrk.txt"); socket=${socket:-0}
rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
{
  echo "soak: ${DURATION}s, config churn every 1 s ($churns rewrites), control plane restarted $restarts times"
  echo "requests: ${requests:-?} (${rps:-?}/s); failed: $(( non2xx + socket )) (non-2xx/3xx $non2xx, socket errors $socket)"
  echo "proxy RSS (KiB): first $(sed -n 2p "$OUT/rss.csv" | cut -d, -f2), min $(tail -n +2 "$OUT/rss.csv" | cut -d, -f2 | sort -n | head -1), max $(tail -n +2 "$OUT/rss.csv" | cut -d, -f2 | sort -n | tail -1), last $(tail -1 "$OUT/rss.csv" | cut -d, -f2)"
  echo "proxy RSS after warm-up (30 s) $(awk -F, 'NR > 1 && $1 + 0 >= 30 {print $2; exit}' "$OUT/rss.csv") KiB, at the end $(tail -1 "$OUT/rss.csv" | cut -d, -f2) KiB"
  echo "snapshots the proxy applied: $(grep -c 'serving version' "$OUT/proxy.log" || true)"
  echo "proxy still running: $([[ -d /proc/$PX_PID ]] && echo yes || echo no)"
  echo; cat "$OUT/wrk.txt"
} >"$OUT/report.txt"
cat "$OUT/report.txt"
