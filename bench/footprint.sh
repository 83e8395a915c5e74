#!/bin/sh
# Footprint benchmark: cold start to the first `initialize` answer and resident memory (VmRSS) of `bin/tandem serve`
# (tool hub_info) side by side with the reference TypeScript server @modelcontextprotocol/server-everything (tool
# echo), in one run with the same Java client (mcp-server/src/test/java/dev/tandem/hub/bench/Footprint.java): RSS
# after start and after each load round of 1 session x 2,000 calls then 16 sessions x 500 calls. Every run launches
# each server afresh; the table gives medians over the runs.
#
#   bench/footprint.sh                              # 5 runs of 5 rounds
#   bench/footprint.sh --runs 3 --rounds 2          # a quick look
#
# Extra arguments go to Footprint. TANDEM_JAVA_OPTS reaches the hub's JVM (bin/tandem). To compare JVM flags in one
# run, BENCH_VARIANTS='serial=-XX:+UseSerialGC;c1=-XX:TieredStopAtLevel=1' adds one hub per NAME=OPTIONS pair.
set -eu

. "$(dirname "$(readlink -f "$0")")/mcp-servers.sh"
set -- --target "everything|echo|{\"message\":\"hello\"}|$peer_cmd" "$@"
if [ -n "${BENCH_VARIANTS-}" ]; then
  rest=$BENCH_VARIANTS
  while [ -n "$rest" ]; do
    pair=${rest%%;*}
    case $rest in *";"*) rest=${rest#*;} ;; *) rest="" ;; esac
    [ -n "$pair" ] || continue
    set -- "$@" --target \
      "hub-${pair%%=*}|hub_info|{}|cd '$work' && TANDEM_JAVA_OPTS=\"\${TANDEM_JAVA_OPTS-} ${pair#*=}\" $hub"
  done
fi
"$JAVA_HOME/bin/java" -cp "$ROOT/mcp-server/target/test-classes" dev.tandem.hub.bench.Footprint \
  --token-file "$work/token" --target "hub|hub_info|{}|cd '$work' && $hub" "$@"
