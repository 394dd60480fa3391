#!/usr/bin/env bash
# bench/run-peers.sh — Weft as two more rows of the shared side-by-side proxy benchmark
# (../shared/bench/peers.sh: nginx, HAProxy, Caddy, YARP pipeline, YARP bare forwarder).
#
#   bench/run-peers.sh                 # full run: every peer + weft + weft-proxy, 3 reps x 10 s (~20 min)
#   bench/run-peers.sh -d 5 -r 1       # quick look (any peers.sh option is passed through)
#   bench/run-peers.sh --only direct,yarp-fwd,weft,weft-proxy -d 5 -r 1
#
# What it does:
#  1. builds `weft` Release into $WEFT_BENCH_WORK/artifacts (outside the repo's bin/obj, so a
#     concurrent Debug build or test run is not disturbed);
#  2. writes a config folder (bench/lib/gen-config.py): Gateway bench/bench-gw with an HTTP
#     listener on port 80, 100 HTTPRoutes over 20 virtual hosts with path/method/header/regex
#     matches, and Services whose endpoint (a WorkloadEntry) is the harness backend
#     127.0.0.1:18080. peers.sh requests `http://127.0.0.1:PORT/` (Host 127.0.0.1:PORT), which
#     lands in the hostname-less virtual host and matches its LAST route in precedence order;
#  3. runs peers.sh with two --extra-cmd rows, each pinned to the proxy CPU by peers.sh:
#       weft        `weft up` (embedded: control plane + gateway proxy in one process; its CPU
#                   and RSS count, which is what a user of the embedded mode pays), on :18110;
#       weft-proxy  `weft proxy` (only the gateway proxy is measured) on :18120, fed by a
#                   `weft up --no-gateways` control plane that this script starts unpinned and
#                   stops at the end (not part of the measured process tree).
#     Both serve HTTP/1.1 and prior-knowledge h2c on the same port.
#
# Environment: WEFT_BENCH_WORK (default /tmp/weft-bench), WEFT_VARIANTS (default "weft weft-proxy"),
# WEFT_NO_BUILD=1 to reuse the last build, WEFT_ROUTES / WEFT_HOSTS (default 100 / 20),
# WEFT_DOTNET_ENV (e.g. "DOTNET_gcServer=0") to try runtime settings on both weft rows.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PEERS=${PEERS_SH:-$REPO/../shared/bench/peers.sh}
WORK=${WEFT_BENCH_WORK:-/tmp/weft-bench}
VARIANTS=${WEFT_VARIANTS:-"weft weft-proxy"}
ROUTES=${WEFT_ROUTES:-100}
HOSTS=${WEFT_HOSTS:-20}
EMBEDDED_PORT=18110     # listener port 80 + offset
PROXY_PORT=18120
CP_XDS_PORT=18125       # the standalone control plane for weft-proxy
BACKEND_PORT=18080

[[ -x $PEERS ]] || { echo "run-peers.sh: $PEERS not found" >&2; exit 2; }
mkdir -p "$WORK"
log() { echo "[$(date +%H:%M:%S)] run-peers: $*" >&2; }

# --- 1. build
WEFT_DLL=$WORK/artifacts/bin/Weft.Cli/release/weft.dll
if [[ ${WEFT_NO_BUILD:-0} != 1 || ! -f $WEFT_DLL ]]; then
  log "building weft (Release) into $WORK/artifacts"
  dotnet build "$REPO/src/Weft.Cli/Weft.Cli.csproj" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q \
    >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; exit 2; }
fi

# --- 2. config
CFG=$WORK/config-$ROUTES
rm -rf "$CFG"
python3 "$HERE/lib/gen-config.py" "$CFG" --routes "$ROUTES" --hosts "$HOSTS" --backend-port "$BACKEND_PORT"
dotnet "$WEFT_DLL" analyze -f "$CFG" >"$WORK/analyze.log" 2>&1 || { cat "$WORK/analyze.log" >&2; exit 2; }
log "config: $CFG ($ROUTES HTTPRoutes, $HOSTS virtual hosts); $(tail -1 "$WORK/analyze.log")"

ENVPFX=""
[[ -n ${WEFT_DOTNET_ENV:-} ]] && ENVPFX="env $WEFT_DOTNET_ENV "

# --- 3. peers.sh
ARGS=()
CP_PID=""
cleanup() {
  if [[ -n $CP_PID && -d /proc/$CP_PID ]]; then
    kill -TERM "$CP_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do [[ -d /proc/$CP_PID ]] || break; sleep 0.1; done
    [[ -d /proc/$CP_PID ]] && kill -KILL "$CP_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for v in $VARIANTS; do
  case $v in
    weft)
      ARGS+=(--extra-cmd "weft=http://127.0.0.1:$EMBEDDED_PORT/,h2c=http://127.0.0.1:$EMBEDDED_PORT/::${ENVPFX}dotnet $WEFT_DLL up -f $CFG --port-offset $(( EMBEDDED_PORT - 80 )) --xds-port 0 --admin-port 0")
      ;;
    weft-proxy)
      # Control plane only (no gateways), unpinned, not measured: stopped by PID at exit.
      dotnet "$WEFT_DLL" up -f "$CFG" --no-gateways --port-offset $(( PROXY_PORT - 80 )) --xds-port "$CP_XDS_PORT" --admin-port 0 \
        >"$WORK/control-plane.log" 2>&1 &
      CP_PID=$!
      ARGS+=(--extra-cmd "weft-proxy=http://127.0.0.1:$PROXY_PORT/,h2c=http://127.0.0.1:$PROXY_PORT/::${ENVPFX}dotnet $WEFT_DLL proxy --gateway bench/bench-gw --control-plane http://127.0.0.1:$CP_XDS_PORT")
      ;;
    *) echo "run-peers.sh: unknown variant $v" >&2; exit 2;;
  esac
done

log "load average before the run: $(cat /proc/loadavg)"
"$PEERS" "${ARGS[@]}" "$@"
log "load average after the run: $(cat /proc/loadavg)"
