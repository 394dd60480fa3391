#!/usr/bin/env bash
# Starts the echo backends that backends.yaml's WorkloadEntries point at (127.0.0.1:9001-9005).
# Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build samples/Echo -v q -nologo >/dev/null
dll=samples/Echo/bin/Debug/net10.0/Weft.Samples.Echo.dll
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT INT TERM
start() { dotnet "$dll" --port "$1" --service "$2" --namespace "$3" --pod "$2-1" & pids+=($!); }
start 9001 api-service app-namespace
start 9002 svc-v1 app-namespace
start 9003 svc-v2 app-namespace
start 9004 premium-service app-namespace
start 9005 my-new-app team-b
wait
