#!/usr/bin/env bash
# Time from SIGTERM to process exit of `bin/tandem serve` while a client holds a GET stream open.
# Usage: bench/sigterm.sh [runs]   (default 10). Prints each run and the median.
# The exit is read from /proc/PID/status (state Z), not from the PID disappearing: a container's init may reap
# exited processes late, which would add its own delay to the figure.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
home=$(mktemp -d)
trap 'pkill -f "user.home=$home" 2>/dev/null || true; rm -rf "$home"' EXIT
times=()
for i in $(seq 1 "$runs"); do
  out="$home/serve.out"
  rm -f "$out"
  HOME=$home bin/tandem serve --port 0 >"$out" 2>/dev/null &
  for _ in $(seq 1 200); do grep -q listening "$out" 2>/dev/null && break; sleep 0.05; done
  port=$(grep -oE '[0-9]+/mcp' "$out" | cut -d/ -f1)
  token=$(cat "$home/.tandem/token")
  sid=$(curl -si -X POST "http://127.0.0.1:$port/mcp" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' |
    tr -d '\r' | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: //p')
  curl -sN "http://127.0.0.1:$port/mcp" -H "Authorization: Bearer $token" -H "Mcp-Session-Id: $sid" \
    -H 'Accept: text/event-stream' >/dev/null &
  curl_pid=$!
  sleep 0.5
  pid=$(pgrep -f "user.home=$home" | head -1)
  start=$(date +%s%N)
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(awk '/^State/{print $2}' "/proc/$pid/status" 2>/dev/null)" = Z ] && break
    sleep 0.005
  done
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000))
  times+=("$ms")
  echo "run $i: ${ms} ms"
  wait "$curl_pid" 2>/dev/null || true
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " ms over " NR " runs"}'
