#!/usr/bin/env bash
# Wall time of `tandem sync push-runtime` and `check-sync` against `ruler apply` (npm @intellectronica/ruler)
# doing comparable work in the same run: the same shared memory, two skills and the hub's MCP entry for
# Codex and Claude Code. Every run is a cold process (bin/tandem as a user runs it, JVM + CDS archive;
# node for ruler). Runs are interleaved so machine noise hits both tools alike.
#
#   bench/sync-vs-ruler.sh            # N=20 runs each
#   N=50 bench/sync-vs-ruler.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-20}
RULER_VERSION=0.3.44
RULER_DIR=${RULER_DIR:-$ROOT/.ci/tools/ruler-$RULER_VERSION}
if [ ! -x "$RULER_DIR/node_modules/.bin/ruler" ]; then
  npm install --prefix "$RULER_DIR" "@intellectronica/ruler@$RULER_VERSION" >/dev/null 2>&1
fi
RULER=("node" "$RULER_DIR/node_modules/@intellectronica/ruler/dist/cli/index.js")
[ -f "${RULER[1]}" ] || RULER=("$RULER_DIR/node_modules/.bin/ruler")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A home with the person's own config, as a push finds it.
tmpl_home=$work/home-template
mkdir -p "$tmpl_home/.codex" "$tmpl_home/.claude"
printf '# mine\nmodel = "o3"\n\n[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "gh-mcp"]\n' >"$tmpl_home/.codex/config.toml"
printf '{\n  "numStartups": 3,\n  "projects": {}\n}\n' >"$tmpl_home/.claude.json"

# The same content as a ruler project (.ruler/ rules, skills and MCP server).
tmpl_proj=$work/proj-template
mkdir -p "$tmpl_proj/.ruler/skills"
cat "$ROOT"/clients/shared/memory/*.md >"$tmpl_proj/.ruler/AGENTS.md"
cp -r "$ROOT"/clients/shared/skills/* "$tmpl_proj/.ruler/skills/"
cat >"$tmpl_proj/.ruler/ruler.toml" <<'TOML'
default_agents = ["codex", "claude"]
[mcp_servers.tandem]
url = "http://127.0.0.1:8765/mcp"
[mcp_servers.tandem.headers]
Authorization = "Bearer ${TANDEM_TOKEN}"
TOML
printf '# mine\nmodel = "o3"\n' >"$tmpl_proj/.codex-config-seed"
(cd "$tmpl_proj" && git init -q . && mkdir -p .codex && mv .codex-config-seed .codex/config.toml)

tandem() { "$ROOT/bin/tandem" sync "$@" --repo "$ROOT" >/dev/null 2>&1; }
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }

# warm-up (not timed): builds the jars if needed and creates the CDS archive
cp -r "$tmpl_home" "$work/warm"
tandem push-runtime --home "$work/warm"
cp -r "$tmpl_proj" "$work/warm-proj"
"${RULER[@]}" apply --project-root "$work/warm-proj" --agents codex,claude --no-gitignore >/dev/null 2>&1

: >"$work/push" >"$work/push2" >"$work/check" >"$work/ruler" >"$work/ruler2"
for i in $(seq 1 "$N"); do
  h=$work/h$i p=$work/p$i
  cp -r "$tmpl_home" "$h"
  cp -r "$tmpl_proj" "$p"
  ms tandem push-runtime --home "$h" >>"$work/push"
  ms "${RULER[@]}" apply --project-root "$p" --agents codex,claude --no-gitignore >>"$work/ruler"
  ms tandem check-sync --home "$h" >>"$work/check"
  ms tandem push-runtime --home "$h" >>"$work/push2"
  ms "${RULER[@]}" apply --project-root "$p" --agents codex,claude --no-gitignore >>"$work/ruler2"
done
[ "$(tandem check-sync --home "$work/h1"; echo $?)" = 0 ] || echo "warning: check-sync did not report in sync" >&2

python3 - "$work" "$N" <<'PY'
import statistics, sys, os
work, n = sys.argv[1], int(sys.argv[2])
def load(name):
    return sorted(int(x) for x in open(os.path.join(work, name)).read().split())
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
rows = [("tandem sync push-runtime (fresh home)", "push"), ("tandem sync push-runtime (no-op)", "push2"),
        ("tandem sync check-sync", "check"), ("ruler apply (fresh project)", "ruler"),
        ("ruler apply (again)", "ruler2")]
med = {}
print(f"runs: {n} each, cold process per run; {os.cpu_count()} cores")
print(f"| command | median ms | p90 ms | max ms |")
print(f"| --- | ---: | ---: | ---: |")
for label, key in rows:
    v = load(key)
    med[key] = statistics.median(v)
    print(f"| {label} | {med[key]:.0f} | {pct(v, 90)} | {v[-1]} |")
print()
print(f"push (fresh) / ruler apply (fresh): {med['push'] / med['ruler']:.2f}x")
print(f"check-sync / ruler apply (fresh):   {med['check'] / med['ruler']:.2f}x")
print(f"push (no-op) / ruler apply (again): {med['push2'] / med['ruler2']:.2f}x")
PY
