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
# The peer is installed on first use (bench/mcp-servers.sh).
set -eu

. "$(dirname "$(readlink -f "$0")")/mcp-servers.sh"
set -- --target "everything|echo|{\"message\":\"hello\"}|$peer_cmd" "$@"
if [ -n "${BENCH_ALT_OPTS-}" ]; then
  set -- "$@" --target "hub-alt|hub_info|{}|cd '$work' && TANDEM_JAVA_OPTS=\"\${TANDEM_JAVA_OPTS-} $BENCH_ALT_OPTS\" $hub"
fi
"$JAVA_HOME/bin/java" -cp "$ROOT/mcp-server/target/test-classes" dev.tandem.hub.bench.McpLoad \
  --token-file "$work/token" --target "hub|hub_info|{}|cd '$work' && $hub" "$@"
