#!/bin/sh
# Cost of telemetry recording on the request path: the same hub build twice in one run, once with
# [telemetry] enabled = true (the default) and once with enabled = false, driven by the same load generator
# (mcp-server/src/test/java/dev/tandem/hub/bench/McpLoad.java): cold start, then tools/call hub_info in a closed
# loop at 1 and 16 sessions.
#
#   bench/telemetry.sh                                         # 5 cold starts each; 10 s warm-up, 3 rounds of 10 s
#   bench/telemetry.sh --cold-runs 2 --warmup-seconds 3 --seconds 3 --rounds 1    # a quick look
#
# Extra arguments go to McpLoad. Everything lives in a temp folder.
set -eu

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
JAVA_HOME=$("$ROOT/bin/find-jdk")
export JAVA_HOME

echo "bench: compiling the load generator" >&2
(cd "$ROOT" && ./mvnw -q -B -pl mcp-server -am -DskipTests -Dspotless.check.skip=true test-compile >&2)

work=$(mktemp -d /tmp/tandem-bench-telemetry.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/home" "$work/on" "$work/off"
printf '[telemetry]\nenabled = true\n' >"$work/on.toml"
printf '[telemetry]\nenabled = false\n' >"$work/off.toml"
# also builds the hub jar when it is missing or stale, so no launch below pays for a build
HOME="$work/home" "$ROOT/bin/tandem" token --token-file "$work/token" >/dev/null

hub() {
  echo "cd '$work' && HOME='$work/home' exec '$ROOT/bin/tandem' serve --port {port} --token-file '$work/token'" \
    "--config '$work/$1.toml' --data-dir '$work/$1'"
}
"$JAVA_HOME/bin/java" -cp "$ROOT/mcp-server/target/test-classes" dev.tandem.hub.bench.McpLoad \
  --token-file "$work/token" --cold-runs 5 \
  --target "telemetry-on|hub_info|{}|$(hub on)" --target "telemetry-off|hub_info|{}|$(hub off)" "$@"
