#!/usr/bin/env bash
# bench/run-peers.sh — Weft as more rows of the shared side-by-side proxy benchmark
# (../shared/bench/peers.sh: nginx, HAProxy, Caddy, YARP pipeline, YARP bare forwarder).
#
#   bench/run-peers.sh                 # full run: every peer + weft + weft-proxy + weft-aot, 3 reps x 10 s (~25 min)
#   bench/run-peers.sh -d 5 -r 1       # quick look (any peers.sh option is passed through)
#   bench/run-peers.sh --only direct,yarp-fwd,weft,weft-proxy,weft-aot -d 5 -r 1
#
# What it does:
#  1. builds `weft` Release into $WEFT_BENCH_WORK/artifacts (outside the repo's bin/obj, so a
#     concurrent Debug build or test run is not disturbed) and, for weft-aot, publishes the NativeAOT
#     `weft-proxy` (src/Weft.ProxyHost; needs clang) into $WEFT_BENCH_WORK/weft-proxy-aot;
#  2. writes a config folder (bench/lib/gen-config.py): Gateway bench/bench-gw with an HTTP
#     listener on port 80, 100 HTTPRoutes over 20 virtual hosts with path/method/header/regex
#     matches, and Services whose endpoint (a WorkloadEntry) is the harness backend
#     127.0.0.1:18080. peers.sh requests `http://127.0.0.1:PORT/` (Host 127.0.0.1:PORT), which
#     lands in the hostname-less virtual host and matches its LAST route in precedence order;
#  3. runs peers.sh with one --extra-cmd row per variant, each pinned to the proxy CPU by peers.sh:
#       weft        `weft up` (embedded: control plane + gateway proxy in one process; its CPU
#                   and RSS count, which is what a user of the embedded mode pays), on :18110;
#       weft-proxy  `weft proxy` (only the gateway proxy is measured) on :18120, fed by a
#                   `weft up --no-gateways` control plane that this script starts unpinned and
#                   stops at the end (not part of the measured process tree).
#       weft-aot    the NativeAOT `weft-proxy` executable (the same proxy without the CLI, trimmed, no
#                   JIT) on :18130, fed the same way by a control plane of its own (`weft up
#                   --no-gateways` on the same config, port offset for :18130; both proxies run at
#                   once under peers.sh, so they cannot share a control plane's bind port).
#     All serve HTTP/1.1 and prior-knowledge h2c on the same port.
#
# Before and after the run it probes the proxy CPU (WEFT_PROBE_CPU, default 1, as peers.sh pins it) with
# a memory-bound walk (bench/lib/memprobe.c) and prints how steady it was: host noise that the
# harness's compute-only calibration does not show.
#
# Environment: WEFT_BENCH_WORK (default /tmp/weft-bench), WEFT_VARIANTS (default "weft weft-proxy weft-aot"),
# WEFT_NO_BUILD=1 to reuse the last build, WEFT_ROUTES / WEFT_HOSTS (default 100 / 20),
# WEFT_DOTNET_ENV (e.g. "DOTNET_gcServer=0") to try runtime settings on every weft row (NativeAOT reads
# the DOTNET_GC* variables too). Any variant may be suffixed -pool or -inline (e.g. "weft-aot weft-aot-pool"):
# the same row with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 / =1 (1 is what weft and weft-proxy
# choose by themselves), on its own port from 18140.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PEERS=${PEERS_SH:-$REPO/../shared/bench/peers.sh}
WORK=${WEFT_BENCH_WORK:-/tmp/weft-bench}
VARIANTS=${WEFT_VARIANTS:-"weft weft-proxy weft-aot"}
ROUTES=${WEFT_ROUTES:-100}
HOSTS=${WEFT_HOSTS:-20}
EMBEDDED_PORT=18110     # listener port 80 + offset
PROXY_PORT=18120
CP_XDS_PORT=18125       # the standalone control plane for weft-proxy
AOT_PORT=18130
AOT_XDS_PORT=18135      # the standalone control plane for weft-aot
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
AOT_EXE=$WORK/weft-proxy-aot/weft-proxy
if [[ " $VARIANTS " == *" weft-aot"* ]] && [[ ${WEFT_NO_BUILD:-0} != 1 || ! -x $AOT_EXE ]]; then
  command -v clang >/dev/null || { echo "run-peers.sh: weft-aot needs clang to publish NativeAOT: apt-get install -y clang zlib1g-dev" >&2; exit 2; }
  log "publishing weft-proxy (NativeAOT, linux-x64) into $WORK/weft-proxy-aot"
  dotnet publish "$REPO/src/Weft.ProxyHost/Weft.ProxyHost.csproj" -c Release -r linux-x64 --artifacts-path "$WORK/artifacts" \
    -o "$WORK/weft-proxy-aot" -nologo -v q >"$WORK/publish-aot.log" 2>&1 || { tail -30 "$WORK/publish-aot.log" >&2; exit 2; }
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
CP_PIDS=()
cleanup() {
  local pid
  for pid in "${CP_PIDS[@]}"; do
    [[ -d /proc/$pid ]] || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
    [[ -d /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A control plane only (no gateways) for a standalone proxy on PORT: unpinned, not measured, stopped by PID at exit.
start_control_plane() {  # start_control_plane NAME PORT XDS_PORT
  dotnet "$WEFT_DLL" up -f "$CFG" --no-gateways --port-offset $(( $2 - 80 )) --xds-port "$3" --admin-port 0 \
    >"$WORK/control-plane-$1.log" 2>&1 &
  CP_PIDS+=($!)
}

# A variant name ending in -inline / -pool is the same row with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS
# set to 1 / 0 (socket continuations on the epoll threads, which the proxy pairs with Kestrel's inline
# scheduling — Weft's default; or on thread-pool workers, .NET's default), on a port of its own:
# peers.sh starts every target at once.
INLINE_PORT=18140
for v in $VARIANTS; do
  base=${v%-inline}; base=${base%-pool}
  env=$ENVPFX
  case $base in
    weft) port=$EMBEDDED_PORT; xds=0;;
    weft-proxy) port=$PROXY_PORT; xds=$CP_XDS_PORT; proxy="dotnet $WEFT_DLL proxy";;
    weft-aot) port=$AOT_PORT; xds=$AOT_XDS_PORT; proxy=$AOT_EXE;;
    *) echo "run-peers.sh: unknown variant $v" >&2; exit 2;;
  esac
  if [[ $base != "$v" ]]; then
    env="env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$([[ $v == *-inline ]] && echo 1 || echo 0) ${WEFT_DOTNET_ENV:-} "
    port=$INLINE_PORT; [[ $xds == 0 ]] || xds=$(( INLINE_PORT + 5 ))
    INLINE_PORT=$(( INLINE_PORT + 10 ))
  fi
  urls="$v=http://127.0.0.1:$port/,h2c=http://127.0.0.1:$port/"
  if [[ $base == weft ]]; then
    ARGS+=(--extra-cmd "$urls::${env}dotnet $WEFT_DLL up -f $CFG --port-offset $(( port - 80 )) --xds-port 0 --admin-port 0")
  else
    start_control_plane "$v" "$port" "$xds"
    ARGS+=(--extra-cmd "$urls::${env}$proxy --gateway bench/bench-gw --control-plane http://127.0.0.1:$xds")
  fi
done

# The harness calibrates each run with a compute-only loop; a proxy also waits on memory, and on a
# shared host memory-bound work on the proxy CPU slows down in stretches of 0.1-3 s that such a loop does
# not see (docs/performance.md, sixth round). So the proxy CPU is also probed with a memory-bound
# walk (bench/lib/memprobe.c) for 10 s before and after the run.
PROBE_CPU=${WEFT_PROBE_CPU:-1}
PROBE=""
if command -v clang >/dev/null || command -v cc >/dev/null; then
  PROBE="$WORK/memprobe"
  $(command -v clang || command -v cc) -O2 -o "$PROBE" "$HERE/lib/memprobe.c" || PROBE=""
fi
memprobe() {  # memprobe WHEN
  [[ -n $PROBE ]] || { log "memory probe skipped (no C compiler)"; return; }
  taskset -c "$PROBE_CPU" "$PROBE" 10 4 | python3 -c '
import sys
v = [int(x) for x in sys.stdin.read().split()]
best = max(v); s = sorted(v)
print("memory-bound probe on cpu%s %s the run (4 MiB random walk, 10 s in 100 ms windows): median %.0f%% of its best window, p10 %.0f%%, %.0f%% of windows below 80%%"
      % (sys.argv[1], sys.argv[2], 100 * s[len(s) // 2] / best, 100 * s[len(s) // 10] / best, 100 * sum(x < 0.8 * best for x in v) / len(v)))' "$PROBE_CPU" "$1" >&2
}

log "load average before the run: $(cat /proc/loadavg)"
memprobe before
"$PEERS" "${ARGS[@]}" "$@"
memprobe after
log "load average after the run: $(cat /proc/loadavg)"
