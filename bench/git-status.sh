#!/usr/bin/env bash
# git_status (JGit, in the hub) against the git CLI on one repository of 50k files, in the same run.
# Usage: bench/git-status.sh [WORKDIR] [ROUNDS]    (WORKDIR default /tmp/tandem-bench-git, ROUNDS default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/tandem-bench-git}
rounds=${2:-30}
repo=$work/repo
if [ ! -f "$repo/.bench-ready" ]; then
    rm -rf "$repo"
    mkdir -p "$repo"
    # 500 folders x 100 files = 50,000 tracked files
    for d in $(seq -w 0 499); do
        mkdir -p "$repo/src/d$d"
        for f in $(seq -w 0 99); do
            printf 'file %s/%s\n' "$d" "$f" > "$repo/src/d$d/f$f.txt"
        done
    done
    git -C "$repo" init -q -b main
    git -C "$repo" -c user.name=bench -c user.email=bench@localhost add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@localhost commit -q -m "50k files"
    touch "$repo/.bench-ready"
    echo ".bench-ready" > "$repo/.git/info/exclude"
fi
# a realistic dirty state: 10 modified files and 10 untracked ones
for i in $(seq 0 9); do
    echo "changed" >> "$repo/src/d00$i/f00.txt"
    echo "new" > "$repo/src/d01$i/untracked.txt"
done
# refresh the index once (as any git command does), so neither side pays for racily-clean entries
git -C "$repo" status > /dev/null
./mvnw -B -q -pl mcp-server -am -Dspotless.check.skip=true -DskipTests test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java=$(bin/find-jdk)/bin/java
"$java" -cp "mcp-server/target/classes:mcp-server/target/test-classes:$(cat mcp-server/target/bench.classpath)" \
    dev.tandem.hub.bench.GitStatusBench "$repo" "$rounds"
echo "machine: $(nproc) cores, $(git --version), $("$java" -version 2>&1 | head -1)"
