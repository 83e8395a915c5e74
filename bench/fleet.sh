#!/bin/sh
# Fleet throughput: two `tandem serve` processes on one PostgreSQL database, 16 sessions each, against the same load
# on one hub on SQLite and one hub on PostgreSQL, in one run (rounds interleave the three); each session loops over
# memory_store, memory_search and hub_info. At the end every store's memory rows are counted: nothing may be lost.
# PostgreSQL is the tests' server (zonky's binaries from Maven Central on 127.0.0.1, as nobody under root) with its
# durable defaults. Mcp-server's test classes hold the load generator (FleetBench).
#
#   bench/fleet.sh                          # 10,000 memories first; 16 and 32 sessions; 15 s windows; 3 rounds
#   bench/fleet.sh 1000 16,32 5 1           # a quick look: PRELOAD SESSIONS SECONDS ROUNDS
set -eu
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
PRELOAD=${1:-10000}
SESSIONS=${2:-16,32}
SECONDS_PER_WINDOW=${3:-15}
ROUNDS=${4:-3}
JAVA_HOME=$("$ROOT/bin/find-jdk")
export JAVA_HOME
cd "$ROOT"
echo "bench: compiling the load generator" >&2
./mvnw -q -B -pl mcp-server -am -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
CP="mcp-server/target/test-classes:mcp-server/target/classes:core/target/test-classes:core/target/classes"
CP="$CP:$(cat mcp-server/target/bench.classpath)"
WORK=$(mktemp -d /tmp/tandem-fleet-bench.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT INT TERM
# also builds the hub jar when it is missing or stale, so no hub start below pays for a build
HOME="$WORK" "$ROOT/bin/tandem" token --token-file "$WORK/token" >/dev/null
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Djava.util.logging.config.file=/dev/null \
  -cp "$CP" dev.tandem.hub.bench.FleetBench "$ROOT" "$WORK/token" "$WORK" "$PRELOAD" "$SESSIONS" \
  "$SECONDS_PER_WINDOW" "$ROUNDS" 2>"$WORK/bench.log" ||
  { cat "$WORK/bench.log" >&2; tail -n 20 "$WORK"/*/hub.log >&2 2>/dev/null; exit 1; }
