#!/bin/sh
# memory_search latency (p50/p99) at 1k, 10k and 100k memories, against the reference
# @modelcontextprotocol/server-memory (search_nodes) holding as many observations, in the same run.
# Usage: bench/memory-search.sh [SIZES] [QUERIES]     e.g. bench/memory-search.sh 1000,10000,100000 200
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${1:-1000,10000,100000}
QUERIES=${2:-200}
PEER_VERSION=2026.8.31
PEER_DIR="$ROOT/.ci/tools/memory-peer"
PEER_JS="$PEER_DIR/node_modules/@modelcontextprotocol/server-memory/dist/index.js"

if [ ! -f "$PEER_JS" ]; then
  npm install --silent --prefix "$PEER_DIR" "@modelcontextprotocol/server-memory@$PEER_VERSION" >&2
fi
JAVA_HOME=$("$ROOT/bin/find-jdk")
cd "$ROOT"
./mvnw -q -B -pl mcp-server -am -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
CP="mcp-server/target/test-classes:mcp-server/target/classes:$(cat mcp-server/target/bench.classpath)"
WORK=$(mktemp -d /tmp/tandem-memory-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
echo "machine: $(nproc) cores, $(uname -sr), node $(node --version), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.config.file=/dev/null \
  -cp "$CP" dev.tandem.hub.MemoryBench "$SIZES" "$QUERIES" "$WORK" "$PEER_JS" 2>"$WORK/bench.log" ||
  { cat "$WORK/bench.log" >&2; exit 1; }
