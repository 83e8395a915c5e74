#!/bin/sh
# The memory store on PostgreSQL against SQLite at the same size, in one run, interleaved: import, insert, search
# (1 and 2 words), list (first page, deep page), get, in-process; then memory_search through a real hub on each.
# PostgreSQL is the tests' server: zonky's binaries from Maven Central on 127.0.0.1 (as nobody under root).
# Usage: bench/store-postgres.sh [MEMORIES] [CALLS]     e.g. bench/store-postgres.sh 100000 200
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MEMORIES=${1:-100000}
CALLS=${2:-200}
JAVA_HOME=$("$ROOT/bin/find-jdk")
cd "$ROOT"
./mvnw -q -B -pl mcp-server -am -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
CP="mcp-server/target/test-classes:mcp-server/target/classes:core/target/test-classes:core/target/classes"
CP="$CP:$(cat mcp-server/target/bench.classpath)"
WORK=$(mktemp -d /tmp/tandem-store-bench.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.config.file=/dev/null \
  -cp "$CP" dev.tandem.hub.StoreBench "$MEMORIES" "$CALLS" "$WORK" 2>"$WORK/bench.log" ||
  { cat "$WORK/bench.log" >&2; exit 1; }
