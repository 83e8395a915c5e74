#!/usr/bin/env python3
"""Writes Codex CLI and Claude Code usage logs into a throw-away home, shaped like the ones the pinned CLIs write
(Codex 0.169 rollouts, Claude Code 2.1.329 project logs; see mcp-server/src/test/resources/usage/), with the traps
a reader must survive, and the totals it wrote into HOME/expected.json.

    bench/usage-logs.py HOME --mb 1024            # ~1 GB: half Codex, half Claude Code, 60 days up to --end
    bench/usage-logs.py HOME --append 1           # append 1 % more bytes: resumed sessions and new ones

Traps: Claude lines repeated once per content block with the same message.id and requestId (some with a smaller,
streamed output_tokens first), `<synthetic>` lines, sub-agent files, sessions resumed into later days; Codex
`token_usage_record` lines beside every `token_count` (never count both), `info: null` (429) lines, rollouts
without `turn_context` (model unknown), `rate_limits` null on most lines, resumed rollouts appended in place,
archived rollouts. Expected totals count each API response once and date it by its own line's timestamp (UTC).
"""
import argparse
import datetime as dt
import json
import os
import random
import sys
import uuid

CLAUDE_MODELS = [("claude-sonnet-4-5-20250929", 50), ("claude-opus-4-5-20251101", 25),
                 ("claude-haiku-4-5-20251001", 20), ("claude-opus-5-5", 5)]
CODEX_MODELS = [("gpt-5.5", 45), ("gpt-5.4", 25), ("gpt-5.3-codex", 20), ("gpt-5.1-codex-mini", 10)]
PROJECTS = ["/home/dev/code/shop-api", "/home/dev/code/shop-web", "/home/dev/code/infra", "/home/dev/notes",
            "/home/dev/code/tandem", "/home/dev/code/ml-pipeline", "/home/dev/code/mobile.app_v2"]
WORDS = ("the of and to in is for that with on as this be are by it from at or an was which not have all can "
         "function return value config build test error file line module class import export async await const "
         "let var type interface public private static void string number boolean null undefined true false").split()


class Text:
    """A pool of prose, sliced for payloads so generation stays fast."""

    def __init__(self, rnd):
        self.pool = " ".join(rnd.choice(WORDS) for _ in range(400_000))
        self.rnd = rnd

    def take(self, n):
        start = self.rnd.randrange(0, len(self.pool) - n - 1)
        return self.pool[start:start + n]


def pick(rnd, weighted):
    total = sum(w for _, w in weighted)
    x = rnd.uniform(0, total)
    for item, w in weighted:
        x -= w
        if x <= 0:
            return item
    return weighted[-1][0]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def encode_cwd(cwd):
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in cwd)


class Expected:
    """Totals per engine, UTC day and model, as a correct reader must find them."""

    KINDS = ("input", "cacheRead", "cacheWrite", "output", "reasoning", "responses")

    def __init__(self, data=None):
        self.data = data or {"codex": {}, "claude": {}}

    def add(self, engine, when, model, **tokens):
        day = when.strftime("%Y-%m-%d")
        row = self.data[engine].setdefault(day, {}).setdefault(model, {k: 0 for k in self.KINDS})
        for k, v in tokens.items():
            row[k] += v
        row["responses"] += 1

    def totals(self):
        out = {}
        for engine, days in self.data.items():
            t = {k: 0 for k in self.KINDS}
            for models in days.values():
                for row in models.values():
                    for k in self.KINDS:
                        t[k] += row[k]
            out[engine] = t
        return out


class Claude:
    def __init__(self, home, rnd, text, expected):
        self.root = os.path.join(home, ".claude", "projects")
        self.rnd, self.text, self.expected = rnd, text, expected
        self.msg = 0

    def session(self, start, turns, sid=None, cwd=None, path=None, model=None):
        rnd = self.rnd
        sid = sid or str(uuid.UUID(int=rnd.getrandbits(128)))
        cwd = cwd or rnd.choice(PROJECTS)
        model = model or pick(rnd, CLAUDE_MODELS)
        if path is None:
            d = os.path.join(self.root, encode_cwd(cwd))
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, sid + ".jsonl")
        t = start
        lines = []
        head = {"sessionId": sid, "cwd": cwd, "version": "2.1.329", "gitBranch": "main", "userType": "external",
                "entrypoint": "cli"}
        lines.append({"type": "queue-operation", "operation": "enqueue", "timestamp": iso(t), "sessionId": sid,
                      "content": self.text.take(80)})
        lines.append({"parentUuid": None, "isSidechain": False, "type": "user",
                      "message": {"role": "user", "content": self.text.take(rnd.randint(50, 600))},
                      "uuid": self.uid(), "timestamp": iso(t), **head})
        if rnd.random() < 0.5:
            lines.append({"type": "attachment", "attachment": {"type": "file", "content": self.text.take(
                rnd.randint(1000, 14000))}, "uuid": self.uid(), "timestamp": iso(t), **head})
        if rnd.random() < 0.3:
            lines.append({"type": "api-request-blob", "sessionId": sid, "timestamp": iso(t),
                          "blob": self.text.take(rnd.randint(8000, 40000))})
        for _ in range(turns):
            t += dt.timedelta(seconds=rnd.randint(2, 90))
            lines += self.response(t, sid, cwd, model, head)
        lines.append({"type": "cost-state", "sessionId": sid, "totalCostUSD": 0.0, "modelUsage": {}})
        with open(path, "a", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, separators=(",", ":")) + "\n")
        if rnd.random() < 0.08:
            self.subagent(t, sid, cwd, model, path)
        return {"sid": sid, "cwd": cwd, "path": path, "model": model, "t": iso(t)}

    def uid(self):
        return str(uuid.UUID(int=self.rnd.getrandbits(128)))

    def response(self, t, sid, cwd, model, head, sidechain=False):
        rnd = self.rnd
        self.msg += 1
        mid, rid = f"msg_gen_{self.msg:08d}_{rnd.getrandbits(24):06x}", f"req_gen_{self.msg:08d}"
        long_ctx = model.startswith("claude-sonnet") and rnd.random() < 0.03
        inp = rnd.randint(3, 4000)
        read = rnd.randint(210_000, 400_000) if long_ctx else rnd.randint(0, 120_000)
        w1h = rnd.choice([0, 0, 0, rnd.randint(0, 3000)])
        w5m = rnd.randint(0, 8000)
        out = rnd.randint(1, 3000)
        usage = {"input_tokens": inp, "cache_creation_input_tokens": w5m + w1h, "cache_read_input_tokens": read,
                 "output_tokens": out, "output_tokens_details": {"thinking_tokens": 0},
                 "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0}, "service_tier": "standard",
                 "cache_creation": {"ephemeral_1h_input_tokens": w1h, "ephemeral_5m_input_tokens": w5m},
                 "inference_geo": "", "iterations": [], "speed": "standard", "fallback_credit": None}
        blocks = []
        if rnd.random() < 0.5:
            blocks.append({"type": "thinking", "thinking": self.text.take(rnd.randint(100, 2000)), "signature": "sig"})
        blocks.append({"type": "text", "text": self.text.take(rnd.randint(40, 1500))})
        tool = None
        if rnd.random() < 0.6:
            name = rnd.choice(["Bash", "Read", "Edit", "Write", "mcp__tandem__fs_read", "mcp__tandem__memory_search"])
            tool = f"toolu_gen_{self.msg:08d}"
            blocks.append({"type": "tool_use", "id": tool, "name": name,
                           "input": {"command": self.text.take(rnd.randint(20, 3000))}})
        lines = [{"type": "api-request", "sessionId": sid, "id": self.uid(), "timestamp": iso(t),
                  "params": {"model": model, "max_tokens": 32000}}]
        streamed = rnd.random() < 0.15
        for i, block in enumerate(blocks):
            u = dict(usage)
            if streamed and i < len(blocks) - 1:
                u["output_tokens"] = rnd.randint(1, out)  # a streamed copy: output not final yet
            lines.append({"parentUuid": self.uid(), "isSidechain": sidechain,
                          "message": {"id": mid, "type": "message", "role": "assistant", "model": model,
                                      "content": [block], "stop_reason": "tool_use" if tool else "end_turn",
                                      "stop_sequence": None, "usage": u},
                          "apiBlockIndex": i, "requestId": rid, "requestedModel": model, "type": "assistant",
                          "uuid": self.uid(), "timestamp": iso(t + dt.timedelta(milliseconds=10 * i)), **head})
        self.expected.add("claude", t, model, input=inp, cacheRead=read, cacheWrite=w5m + w1h, output=out)
        if rnd.random() < 0.01:
            lines.append({"parentUuid": self.uid(), "isSidechain": sidechain, "type": "assistant",
                          "message": {"id": self.uid(), "model": "<synthetic>", "role": "assistant",
                                      "content": [{"type": "text", "text": "API Error: 529 overloaded"}],
                                      "usage": {"input_tokens": 0, "output_tokens": 0,
                                                "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}},
                          "uuid": self.uid(), "timestamp": iso(t), **head})
        if tool:
            lines.append({"parentUuid": self.uid(), "isSidechain": sidechain, "type": "user",
                          "message": {"role": "user", "content": [{"tool_use_id": tool, "type": "tool_result",
                                                                   "content": self.text.take(rnd.randint(100, 9000)),
                                                                   "is_error": False}]},
                          "uuid": self.uid(), "timestamp": iso(t + dt.timedelta(seconds=1)),
                          "toolUseResult": {"stdout": self.text.take(rnd.randint(50, 3000)), "stderr": ""}, **head})
        return lines

    def subagent(self, t, sid, cwd, model, parent):
        d = os.path.join(parent[:-len(".jsonl")], "subagents")
        os.makedirs(d, exist_ok=True)
        agent = f"a{self.rnd.getrandbits(40):010x}"
        head = {"sessionId": sid, "cwd": cwd, "version": "2.1.329", "gitBranch": "main", "agentId": agent}
        with open(os.path.join(d, f"agent-{agent}.jsonl"), "a", encoding="utf-8") as f:
            for _ in range(self.rnd.randint(2, 12)):
                t += dt.timedelta(seconds=self.rnd.randint(2, 30))
                for line in self.response(t, sid, cwd, "claude-haiku-4-5-20251001", head, sidechain=True):
                    f.write(json.dumps(line, separators=(",", ":")) + "\n")


class Codex:
    def __init__(self, home, rnd, text, expected):
        self.home = os.path.join(home, ".codex")
        self.rnd, self.text, self.expected = rnd, text, expected
        self.resp = 0

    def session(self, start, turns, state=None):
        rnd = self.rnd
        fresh = state is None
        if fresh:
            sid = str(uuid.UUID(int=rnd.getrandbits(128)))
            archived = rnd.random() < 0.05
            d = (os.path.join(self.home, "archived_sessions") if archived else
                 os.path.join(self.home, "sessions", start.strftime("%Y"), start.strftime("%m"), start.strftime("%d")))
            os.makedirs(d, exist_ok=True)
            state = {"sid": sid, "cwd": rnd.choice(PROJECTS), "model": pick(rnd, CODEX_MODELS),
                     "path": os.path.join(d, f"rollout-{start.strftime('%Y-%m-%dT%H-%M-%S')}-{sid}.jsonl"),
                     "total": [0, 0, 0, 0], "no_context": rnd.random() < 0.03}
        t = start
        lines = []
        sid, cwd, model = state["sid"], state["cwd"], state["model"]
        if fresh:
            lines.append(self.line(t, "session_meta", {
                "session_id": sid, "id": sid, "timestamp": iso(t), "cwd": cwd, "originator": "codex_exec",
                "cli_version": "0.169.0", "source": "exec", "model_provider": "openai",
                "base_instructions": {"text": self.text.take(22000)}, "history_mode": "paginated"}))
        else:
            lines.append(self.event(t, {"type": "thread_settings_applied", "thread_settings": {"model": model}}))
        for _ in range(turns):
            t += dt.timedelta(seconds=rnd.randint(5, 200))
            turn = str(uuid.UUID(int=rnd.getrandbits(128)))
            lines.append(self.event(t, {"type": "task_started", "turn_id": turn, "model_context_window": 258400}))
            if not state["no_context"]:
                lines.append(self.line(t, "turn_context", {
                    "turn_id": turn, "cwd": cwd, "approval_policy": "never", "model": model,
                    "sandbox_policy": {"type": "workspace-write"}, "summary": "auto",
                    "developer_instructions": self.text.take(1500)}))
            lines.append(self.line(t, "response_item", {"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": self.text.take(rnd.randint(100, 6000))}]}))
            for _ in range(rnd.randint(1, 6)):
                t += dt.timedelta(seconds=rnd.randint(1, 40))
                lines += self.response(t, state, turn)
            lines.append(self.event(t, {"type": "task_complete", "turn_id": turn,
                                        "last_agent_message": self.text.take(rnd.randint(50, 800))}))
        with open(state["path"], "a", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, separators=(",", ":")) + "\n")
        state["t"] = iso(t)
        return state

    def response(self, t, state, turn):
        rnd = self.rnd
        self.resp += 1
        lines = []
        if rnd.random() < 0.02:  # a 429 usage-limit answer: info null, rate limits only
            return [self.event(t, {"type": "token_count", "info": None, "rate_limits": self.limits(100.0)})]
        if rnd.random() < 0.5:
            lines.append(self.line(t, "response_item", {"type": "reasoning", "summary": [
                {"type": "summary_text", "text": self.text.take(rnd.randint(50, 500))}]}))
        lines.append(self.line(t, "response_item", {"type": "function_call", "name": "exec_command",
                                                    "arguments": json.dumps({"cmd": self.text.take(120)}),
                                                    "call_id": f"call_gen_{self.resp}"}))
        lines.append(self.line(t, "response_item", {"type": "function_call_output", "call_id": f"call_gen_{self.resp}",
                                                    "output": self.text.take(rnd.randint(100, 9000))}))
        inp = rnd.randint(2000, 180_000)
        cached = rnd.randint(0, inp)
        out = rnd.randint(10, 4000)
        reasoning = rnd.randint(0, out)
        last = {"input_tokens": inp, "cached_input_tokens": cached, "cache_write_input_tokens": 0,
                "output_tokens": out, "reasoning_output_tokens": reasoning, "total_tokens": inp + out}
        tot = state["total"]
        tot[0] += inp
        tot[1] += cached
        tot[2] += out
        tot[3] += reasoning
        total = {"input_tokens": tot[0], "cached_input_tokens": tot[1], "cache_write_input_tokens": 0,
                 "output_tokens": tot[2], "reasoning_output_tokens": tot[3], "total_tokens": tot[0] + tot[2]}
        lines.append(self.line(t, "token_usage_record", {
            "thread_id": state["sid"], "turn_id": turn, "session_id": state["sid"], "root_turn_id": turn,
            "response_id": f"resp_gen_{self.resp}", "usage": last, "turn_token_usage": last,
            "thread_token_usage": total}))
        limits = self.limits(round(rnd.uniform(1, 95), 1)) if rnd.random() < 0.1 else self.limits(None)
        lines.append(self.event(t, {"type": "token_count", "info": {
            "total_token_usage": total, "last_token_usage": last, "last_usage_includes_reasoning": False,
            "model_context_window": 258400}, "rate_limits": limits}))
        model = "unknown" if state["no_context"] else state["model"]
        self.expected.add("codex", t, model, input=inp - cached, cacheRead=cached, cacheWrite=0, output=out,
                          reasoning=reasoning)
        return lines

    @staticmethod
    def limits(primary):
        window = (lambda p, m: None if p is None else {"used_percent": p, "window_minutes": m,
                                                       "resets_at": 1796560000})
        return {"limit_id": "codex", "limit_name": None, "primary": window(primary, 300),
                "secondary": window(None if primary is None else min(100.0, primary / 2 + 10), 10080),
                "credits": None, "individual_limit": None, "spend_control_reached": None, "plan_type": None,
                "rate_limit_reached_type": None}

    @staticmethod
    def line(t, kind, payload):
        return {"timestamp": iso(t), "type": kind, "payload": payload}

    def event(self, t, payload):
        return self.line(t, "event_msg", payload)


def size_of(home):
    total = 0
    for d, _, files in os.walk(home):
        for f in files:
            if f.endswith(".jsonl"):
                total += os.path.getsize(os.path.join(d, f))
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home")
    ap.add_argument("--mb", type=float, default=1024, help="total size to write (MB, half per engine)")
    ap.add_argument("--append", type=float, help="append this percentage of the existing bytes instead")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--end", default="2026-11-30", help="last day of the generated history (UTC)")
    ap.add_argument("--days", type=int, default=60)
    a = ap.parse_args()
    state_file = os.path.join(a.home, "generator-state.json")
    expected_file = os.path.join(a.home, "expected.json")
    end = dt.datetime.fromisoformat(a.end).replace(tzinfo=dt.timezone.utc) + dt.timedelta(hours=20)
    if a.append is not None:
        state = json.load(open(state_file))
        rnd = random.Random(state["seed"] * 7919 + state["appends"] + 1)
        expected = Expected(json.load(open(expected_file))["days"])
        goal = size_of(a.home) * (1 + a.append / 100)
    else:
        os.makedirs(a.home, exist_ok=True)
        state = {"seed": a.seed, "appends": 0, "claude": [], "codex": []}
        rnd = random.Random(a.seed)
        expected = Expected()
        goal = a.mb * 1024 * 1024
    text = Text(rnd)
    claude, codex = Claude(a.home, rnd, text, expected), Codex(a.home, rnd, text, expected)
    claude.msg = state.get("claude_msg", 0)
    codex.resp = state.get("codex_resp", 0)
    written = size_of(a.home)
    before = written
    sizes = {}  # size of each file before the append touched it
    touched_paths = set()

    def touched(session):
        path = session["path"]
        if path not in touched_paths:
            touched_paths.add(path)
        return touched_paths

    if a.append is not None:
        for group in ("claude", "codex"):
            for sess in state[group]:
                if os.path.exists(sess["path"]):
                    sizes[sess["path"]] = os.path.getsize(sess["path"])
    n = 0
    while written < goal:
        if a.append is not None:
            start = end + dt.timedelta(days=1, minutes=n)  # the day after the history: a new day in reports
            resume = rnd.random() < 0.5
            if n % 2 == 0:
                old = rnd.choice(state["claude"]) if resume and state["claude"] else None
                s = (claude.session(start, rnd.randint(5, 40), old["sid"], old["cwd"], old["path"], old["model"])
                     if old else claude.session(start, rnd.randint(5, 40)))
                if not old:
                    state["claude"].append(s)
            else:
                old = rnd.choice(state["codex"]) if resume and state["codex"] else None
                s = codex.session(start, rnd.randint(2, 10), old)
                if not old:
                    state["codex"].append(s)
        else:
            start = end - dt.timedelta(days=rnd.randint(0, a.days - 1), minutes=rnd.randint(0, 900))
            if n % 2 == 0:
                s = claude.session(start, rnd.randint(5, 60))
                state["claude"].append(s)
                if rnd.random() < 0.05:  # resumed a few days later: later lines, same file
                    claude.session(start + dt.timedelta(days=rnd.randint(1, 3)), rnd.randint(2, 10), s["sid"],
                                   s["cwd"], s["path"], s["model"])
            else:
                s = codex.session(start, rnd.randint(2, 12))
                state["codex"].append(s)
                if rnd.random() < 0.05:
                    codex.session(start + dt.timedelta(days=rnd.randint(1, 3)), rnd.randint(1, 4), s)
        n += 1
        if a.append is not None:
            written = before + sum(os.path.getsize(f) - sizes.get(f, 0) for f in touched(s))
        elif n % 50 == 0:
            written = size_of(a.home)
    if a.append is not None:
        state["appends"] += 1
    state["claude_msg"], state["codex_resp"] = claude.msg, codex.resp
    with open(state_file, "w") as f:
        json.dump(state, f)
    with open(expected_file, "w") as f:
        json.dump({"totals": expected.totals(), "days": expected.data}, f, indent=1, sort_keys=True)
    print(f"usage-logs: {size_of(a.home) / 1048576:.0f} MB of logs in {a.home}; expected totals in {expected_file}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
