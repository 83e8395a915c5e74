#!/usr/bin/env bash
# `tandem usage daily --json` against ccusage 20.0.24 (npm `ccusage`, its native binary, always `--offline`) on the
# same generated logs (bench/usage-logs.py: ~1 GB, half Codex rollouts, half Claude Code project logs, with the
# traps a reader must survive). Cold: a fresh store, every log read. Warm: after 1 % more bytes were appended (resumed
# sessions and new ones), from the store the cold run left; ccusage has no store and reads everything again. Runs are
# interleaved so machine noise hits both alike. Prints wall and CPU time, peak memory, and both tools' totals beside
# the totals the generator wrote, per engine. With the hub running, the first answer after the hub's start (its
# reading code not yet compiled) is reported apart from the steady answers of a hub that has read before.
#
#   bench/usage-vs-ccusage.sh                 # N=5 runs each on 1024 MB
#   N=3 MB=256 bench/usage-vs-ccusage.sh      # a quick look
#
# Everything lives in a temp folder (kept with KEEP=1). ccusage is installed into .ci/tools/ccusage-20.0.24 when
# missing (20.0.26, the registry's latest, has no Linux binary).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-5}
MB=${MB:-1024}
CC_VERSION=20.0.24
CC_DIR=${CC_DIR:-$ROOT/.ci/tools/ccusage-$CC_VERSION}
CC=$CC_DIR/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage
if [ ! -x "$CC" ]; then
  npm install --prefix "$CC_DIR" --save-exact --no-audit --no-fund --loglevel=error "ccusage@$CC_VERSION" >&2
fi
"$CC" --version >/dev/null

work=$(mktemp -d /tmp/tandem-bench-usage.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
home=$work/home
echo "bench: generating $MB MB of logs in $home" >&2
python3 "$ROOT/bench/usage-logs.py" "$home" --mb "$MB"
logs_mb=$(du -sm --apparent-size "$home/.codex" "$home/.claude" | awk '{s += $1} END {print s}')
files=$(find "$home/.codex" "$home/.claude" -name '*.jsonl' | wc -l)

# Both tools see only the generated home, days in UTC.
clean=(env -u CODEX_HOME -u CLAUDE_CONFIG_DIR -u TANDEM_DATA_DIR -u TANDEM_ROOTS HOME="$home" TZ=UTC)
tandem=("${clean[@]}" "$ROOT/bin/tandem" usage daily --json --timezone UTC --data-dir)
ccusage=("${clean[@]}" "$CC")
measure() { # label file cmd... -> appends "wall user sys maxrss" to $work/label
  local label=$1 out=$2
  shift 2
  /usr/bin/time -o "$work/t" -f "%e %U %S %M" "$@" >"$out"
  cat "$work/t" >>"$work/$label"
}

# The running hub answering `tandem usage` (bin/tandem asks it with curl, no JVM starts): the hub runs in the
# generated home on its own store; `hub_start DIR` starts it and waits until it listens, `hub_stop` stops it.
hub_pid=""
hub_start() {
  rm -f "$home/.tandem/state/hub.json"
  "${clean[@]}" "$ROOT/bin/tandem" serve --port 0 --data-dir "$1" --root "$work/root" >"$work/hub.log" 2>&1 &
  hub_pid=$!
  local i=0
  until [ -s "$home/.tandem/state/hub.json" ] && grep -q listening "$work/hub.log"; do
    sleep 0.02
    i=$((i + 1))
    if [ $i -gt 6000 ] || ! kill -0 "$hub_pid" 2>/dev/null; then
      echo "bench: the hub did not start:" >&2
      cat "$work/hub.log" >&2
      exit 1
    fi
  done
}
# the hub's CPU so far (user + system, seconds): what it spends reading the appended bytes happens in the background,
# before the answer is asked for, so it is reported beside the answer's time
hub_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$hub_pid/stat"
}
hub_stop() {
  kill -TERM "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  hub_pid=""
}
trap 'hub_stop; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
mkdir -p "$work/root"
# cold with the hub: from the hub's start on an empty store to the first answer (it reads every log first); the
# hub's CPU counts (it is this script's child), its stop too
cat >"$work/hub-cold.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
$(declare -f hub_start hub_stop)
$(declare -p clean home work ROOT)
hub_pid=""
rm -rf "\$1"
hub_start "\$1"
"\${clean[@]}" "\$ROOT/bin/tandem" usage daily --json --timezone UTC --data-dir "\$1"
hub_stop
SH
chmod +x "$work/hub-cold.sh"
via_hub=("${clean[@]}" "$ROOT/bin/tandem" usage daily --json --timezone UTC --data-dir)

# warm-up (not timed): builds the jars if needed, the start-up caches of `tandem usage` and of the hub. `usage --help`
# would not do: help is answered from the jars as they are, without the cache, so the first measured run would train
# it. A real report on an empty home (no logs, a throw-away store) trains it before anything is measured.
mkdir -p "$work/empty-home"
env -u CODEX_HOME -u CLAUDE_CONFIG_DIR -u TANDEM_DATA_DIR -u TANDEM_ROOTS HOME="$work/empty-home" TZ=UTC \
  "$ROOT/bin/tandem" usage daily --json --timezone UTC --data-dir "$work/data-warmup0" >/dev/null 2>&1
rm -rf "$work/data-warmup0" "$work/empty-home"
jdk=$("$ROOT/bin/find-jdk")
if grep -q '^JAVA_VERSION="\(2[5-9]\|[3-9][0-9]\)' "$jdk/release" 2>/dev/null &&
  [ ! -f "$ROOT/mcp-server/target/tandem-hub-usage.aot" ]; then
  echo "bench: the start-up cache of 'tandem usage' was not made; the runs would train it" >&2
  exit 1
fi
"$CC" --version >/dev/null
hub_start "$work/data-warmup"
rc=0
"${clean[@]}" bash -c '. "$1/bin/usage-via-hub"; shift; usage_via_hub "$@"' _ "$ROOT" \
  daily --json --timezone UTC --data-dir "$work/data-warmup" >/dev/null || rc=$?
if [ "$rc" = 125 ]; then
  echo "bench: the running hub did not answer 'tandem usage' (no curl?): the hub runs would measure the JVM" >&2
  exit 1
fi
hub_stop
rm -rf "$work/data-warmup"

echo "bench: cold, $N runs each" >&2
for i in $(seq 1 "$N"); do
  rm -rf "$work/data"
  measure tandem-cold "$work/tandem-cold.json" "${tandem[@]}" "$work/data"
  measure hub-cold "$work/hub-cold.json" "$work/hub-cold.sh" "$work/data-hub"
  measure cc-all-cold "$work/cc-all.json" "${ccusage[@]}" daily --json --offline
  measure cc-claude-cold "$work/cc-claude.json" "${ccusage[@]}" claude daily --json --offline
  measure cc-codex-cold "$work/cc-codex.json" "${ccusage[@]}" codex daily --json --offline
done
cp -r "$work/data" "$work/data-cold"
cp "$home/expected.json" "$work/expected-cold.json"

# the hub, current on the cold store, keeps running through the warm runs: the first append is measured through it
# right away; each further warm run with the hub appends 1 % more (after ccusage's runs, which see the first append
# only), as a person's logs grow between two questions
rm -rf "$work/data-hub"
cp -r "$work/data-cold" "$work/data-hub"
hub_start "$work/data-hub"
"${via_hub[@]}" "$work/data-hub" >/dev/null # current: this reads nothing new

echo "bench: appending 1 %" >&2
before=$(du -sb --apparent-size "$home/.codex" "$home/.claude" | awk '{s += $1} END {print s}')
python3 "$ROOT/bench/usage-logs.py" "$home" --append 1
after=$(du -sb --apparent-size "$home/.codex" "$home/.claude" | awk '{s += $1} END {print s}')
# the first answer after the hub's start: its reading code runs for the first time in that JVM
measure hub-warm-first "$work/hub-warm-first.json" "${via_hub[@]}" "$work/data-hub"
cp "$home/expected.json" "$work/expected-warm.json"
hub_stop # the runs without a hub run without one

echo "bench: warm, $N runs each" >&2
for i in $(seq 1 "$N"); do
  rm -rf "$work/data-warm"
  cp -r "$work/data-cold" "$work/data-warm"
  measure tandem-warm "$work/tandem-warm.json" "${tandem[@]}" "$work/data-warm"
  measure tandem-nothing-new "$work/tandem-again.json" "${tandem[@]}" "$work/data-warm"
  measure cc-all-warm "$work/cc-all-warm.json" "${ccusage[@]}" daily --json --offline
  measure cc-claude-warm "$work/cc-claude-warm.json" "${ccusage[@]}" claude daily --json --offline
  measure cc-codex-warm "$work/cc-codex-warm.json" "${ccusage[@]}" codex daily --json --offline
done

hub_start "$work/data-hub"
"${via_hub[@]}" "$work/data-hub" >/dev/null # current again (nothing was appended while it was stopped)
# once more the first answer after a start (not in the steady figure: a hub that has run a while has read logs before)
python3 "$ROOT/bench/usage-logs.py" "$home" --append 1
measure hub-warm-first "$work/hub-warm-first.json" "${via_hub[@]}" "$work/data-hub"
for i in $(seq 1 "$N"); do
  cpu0=$(hub_cpu)
  python3 "$ROOT/bench/usage-logs.py" "$home" --append 1
  measure hub-warm "$work/hub-warm.json" "${via_hub[@]}" "$work/data-hub"
  echo "$cpu0 $(hub_cpu)" | awk '{printf "%.2f\n", $2 - $1}' >>"$work/hub-warm-cpu"
done
for i in $(seq 1 "$N"); do
  measure hub-nothing-new "$work/hub-again.json" "${via_hub[@]}" "$work/data-hub"
done
# the hub's answer against the JVM's on the same logs, into a store of its own
"${clean[@]}" "$ROOT/bin/tandem" usage daily --json --timezone UTC --data-dir "$work/data-hub" >"$work/hub-final.json"
hub_stop
"${tandem[@]}" "$work/data-final" >"$work/jvm-final.json"
# (but for when each read the logs: "scannedAt")
if cmp -s <(grep -v '"scannedAt"' "$work/hub-final.json") <(grep -v '"scannedAt"' "$work/jvm-final.json"); then
  hub_same="identical (but for scannedAt)"
else
  hub_same="DIFFERENT"
fi

python3 - "$work" "$N" "$logs_mb" "$files" "$before" "$after" "$hub_same" <<'PY'
import json, os, statistics, sys
work, n, logs_mb, files, before, after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
hub_same = sys.argv[7]

def runs(name):
    rows = [list(map(float, l.split())) for l in open(os.path.join(work, name)) if l.strip()]
    return {k: statistics.median(r[i] for r in rows) for i, k in enumerate(["wall", "user", "sys", "rss"])}

print(f"logs: {logs_mb} MB in {files} files; appended {100 * (after - before) / before:.2f} % ({(after - before) / 1e6:.1f} MB); "
      f"{os.cpu_count()} cores; medians of {n} runs")
print()
print("| run | wall s | CPU s (user+sys) | peak RSS MB |")
print("| --- | ---: | ---: | ---: |")
rows = [("tandem usage daily --json, cold (empty store)", "tandem-cold"),
        ("ccusage daily --json (Claude + Codex), cold", "cc-all-cold"),
        ("ccusage claude daily + ccusage codex daily, cold", ("cc-claude-cold", "cc-codex-cold")),
        ("tandem usage daily --json, warm (+1 %)", "tandem-warm"),
        ("tandem usage daily --json, nothing new", "tandem-nothing-new"),
        ("hub running: cold (hub start on an empty store to first answer)", "hub-cold"),
        ("hub running: tandem usage daily --json, warm (+1 %), first answer after the hub's start", "hub-warm-first"),
        ("hub running: tandem usage daily --json, warm (+1 %)", "hub-warm"),
        ("hub running: tandem usage daily --json, nothing new", "hub-nothing-new"),
        ("ccusage daily --json, warm (+1 %)", "cc-all-warm"),
        ("ccusage claude daily + ccusage codex daily, warm", ("cc-claude-warm", "cc-codex-warm"))]
med = {}
for label, key in rows:
    if isinstance(key, tuple):
        a, b = runs(key[0]), runs(key[1])
        m = {"wall": a["wall"] + b["wall"], "user": a["user"] + b["user"], "sys": a["sys"] + b["sys"], "rss": max(a["rss"], b["rss"])}
        key = "+".join(key)
    else:
        m = runs(key)
    med[key] = m
    print(f"| {label} | {m['wall']:.2f} | {m['user'] + m['sys']:.2f} | {m['rss'] / 1024:.0f} |")
print()
for a, b, what in [("tandem-cold", "cc-all-cold", "cold"), ("tandem-warm", "cc-all-warm", "warm (+1 %)"),
                   ("tandem-nothing-new", "cc-all-warm", "nothing new"),
                   ("hub-cold", "cc-all-cold", "hub running, cold"), ("hub-warm-first", "cc-all-warm", "hub running, warm (+1 %), first answer after its start"),
                   ("hub-warm", "cc-all-warm", "hub running, warm (+1 %)"),
                   ("hub-nothing-new", "cc-all-warm", "hub running, nothing new")]:
    w = med[a]["wall"] / med[b]["wall"]
    c = (med[a]["user"] + med[a]["sys"]) / (med[b]["user"] + med[b]["sys"])
    print(f"{what}: tandem / ccusage daily = {w:.2f}x wall, {c:.2f}x CPU")
print(f"the hub's answer and the JVM's on the final logs: {hub_same}")
hub_cpu = [float(l) for l in open(os.path.join(work, "hub-warm-cpu")) if l.strip()]
print(f"the hub's own CPU per warm update (reading the appended 1 % as it is written, and answering): "
      f"median {statistics.median(hub_cpu):.2f} s, against ccusage's {med['cc-all-warm']['user'] + med['cc-all-warm']['sys']:.2f} s "
      f"({statistics.median(hub_cpu) / (med['cc-all-warm']['user'] + med['cc-all-warm']['sys']):.2f}x)")
print()

def tandem_totals(path):
    t = json.load(open(os.path.join(work, path)))["totals"]["engines"]
    return {e: {"input": a["inputTokens"], "cacheRead": a["cacheReadTokens"], "cacheWrite": a["cacheWriteTokens"],
                "output": a["outputTokens"], "responses": a["responses"], "cost": a["costUSD"],
                "unpriced": a["unpricedResponses"]} for e, a in t.items()}

def cc_totals(path, engine):
    t = json.load(open(os.path.join(work, path)))["totals"]
    return {"input": t["inputTokens"], "cacheRead": t["cacheReadTokens"], "cacheWrite": t["cacheCreationTokens"],
            "output": t["outputTokens"], "cost": t.get("totalCost", t.get("costUSD")),
            "unpriced": ", ".join(t.get("unpricedModels", []))}

expected = json.load(open(os.path.join(work, "expected-warm.json")))["totals"]
ours = tandem_totals("tandem-warm.json")
for engine, cc_file in [("claude", "cc-claude-warm.json"), ("codex", "cc-codex-warm.json")]:
    cc = cc_totals(cc_file, engine)
    ex = expected[engine]
    t = ours[engine]
    print(f"{engine} (after the append) | expected (generator) | tandem | ccusage")
    print("| --- | ---: | ---: | ---: |")
    for k in ["input", "cacheRead", "cacheWrite", "output"]:
        print(f"| {k} tokens | {ex[k]:,} | {t[k]:,} | {cc[k]:,} |")
    print(f"| responses | {ex['responses']:,} | {t['responses']:,} | — |")
    print(f"| cost USD | — | {t['cost']:,.2f} (+{t['unpriced']} unpriced responses) | {cc['cost']:,.2f} (unpriced: {cc['unpriced'] or 'none'}) |")
    print()
all_cc = json.load(open(os.path.join(work, "cc-all-warm.json")))["totals"]
print(f"ccusage daily (all agents) total cost: {all_cc.get('totalCost', all_cc.get('costUSD')):,.2f}; "
      f"tandem both engines: {sum(a['cost'] for a in ours.values()):,.2f}")
PY
