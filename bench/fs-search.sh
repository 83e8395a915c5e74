#!/usr/bin/env bash
# fs_search (through a real hub, SDK client) vs `rg -n` over the JDK's own sources, same tree, same run.
# Usage: bench/fs-search.sh [RUNS [SEARCH_THREADS]]   (needs `rg` on PATH: apt-get install -y ripgrep)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"
THREADS="${2:-}"
JDK="$(bin/find-jdk)"
SRC_ZIP="${SRC_ZIP:-$JDK/lib/src.zip}"
command -v rg >/dev/null || { echo "bench: rg not found (apt-get install -y ripgrep)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time not found (apt-get install -y time)" >&2; exit 2; }
[ -f "$SRC_ZIP" ] || { echo "bench: $SRC_ZIP not found" >&2; exit 2; }

WORK="$(mktemp -d /tmp/tandem-fs-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/root"
unzip -q "$SRC_ZIP" -d "$WORK/root"
echo "tree: $(find "$WORK/root" -type f | wc -l) files, $(du -sh "$WORK/root" | cut -f1) from $SRC_ZIP" >&2

# one invocation: the class path names core's and the sync tool's classes, which exist only in this reactor
./mvnw -B -q -pl mcp-server -am -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >&2
CP="mcp-server/target/test-classes:mcp-server/target/classes:$(cat "$WORK/cp.txt")"

echo "machine: $(nproc) cores, $(uname -sr), $("$JDK/bin/java" -version 2>&1 | head -1), $(rg --version | head -1)" >&2
"$JDK/bin/java" --enable-native-access=ALL-UNNAMED -Djava.util.logging.config.file=/dev/null -cp "$CP" \
  dev.tandem.hub.fs.FsSearchBench "$WORK" "$RUNS" ${THREADS:+"$THREADS"}
