// Reads what a real client printed about a run with MCP tool calls and checks it. Prints one line (what the
// calls returned, or why the run fails, with an excerpt of what was seen) and exits 0 only when every check holds.
//
// usage: node real-clients-verdict.mjs claude FILE [--call TOOL[=TEXT]]... [--engine E] [--credential C] [--final TEXT]
//        node real-clients-verdict.mjs codex FILE --server NAME [--call TOOL[=TEXT]]... [--engine E] [--final TEXT]
// FILE is `claude -p --output-format stream-json --verbose` output, or `codex exec --json` output.
//   --call TOOL[=TEXT]  a call of TOOL (Claude: mcp__NAME__tool; Codex: the tool of server NAME) succeeded, after
//                       the calls named before it; with =TEXT its result's text contains TEXT. --call '!TOOL': a
//                       call of TOOL after those failed, and the client said so to the model
//   --engine E          the results that say which engine called (hub_info's caller.engine, memory_store's
//                       engine) say E, and at least one does
//   --final TEXT        the run's final answer (Claude's `result` event, Codex's last agent_message) contains TEXT
//   --lost restart|cap  the first and the last hub_info result straddle a lost session: with restart, they come
//                       from two hub starts; when the first call had a session (a sessionful protocol), the last
//                       one came on another session, so the client opened a new one. A sessionless client
//                       (protocol 2026-07-28) has nothing to lose: said, not failed
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string' },
    call: { type: 'string', multiple: true, default: [] },
    engine: { type: 'string' },
    credential: { type: 'string' },
    final: { type: 'string' },
    lost: { type: 'string' },
  },
});
const [mode, file] = positionals;
if (!['claude', 'codex'].includes(mode) || !file || (mode === 'codex' && !values.server)
  || ![undefined, 'restart', 'cap'].includes(values.lost)) {
  console.error('usage: real-clients-verdict.mjs claude|codex FILE [--server NAME] [--call TOOL[=TEXT]]... '
    + '[--engine E] [--final TEXT] [--lost restart|cap]');
  process.exit(2);
}

function lines(path) {
  const out = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a truncated line: ignored, the checks below then say what is missing
    }
  }
  return out;
}

function text(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((c) => c.type === 'text').map((c) => c.text).join('');
  return '';
}

function parse(s) {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const excerpt = (s, n = 300) => JSON.stringify(String(s).length > n ? `${String(s).slice(0, n)}…` : String(s));

// Every tool call of the run, in order: {tool, position, error (string or undefined), text, structured}.
function claudeCalls(events) {
  const calls = [];
  const byId = new Map();
  events.forEach((e, position) => {
    for (const c of e.message?.content ?? []) {
      if (e.type === 'assistant' && c.type === 'tool_use') {
        const call = { tool: c.name, position, error: 'no tool_result came back', text: '' };
        byId.set(c.id, call);
        calls.push(call);
      } else if (e.type === 'user' && c.type === 'tool_result' && byId.has(c.tool_use_id)) {
        const call = byId.get(c.tool_use_id);
        call.text = text(c.content);
        call.error = c.is_error ? `the tool call failed: ${excerpt(call.text)}` : undefined;
        call.structured = e.tool_use_result?.structuredContent ?? parse(call.text);
      }
    }
  });
  return calls;
}

function claudeFinal(events) {
  const result = events.filter((e) => e.type === 'result').pop();
  if (!result) return [undefined, 'no result event (did claude finish?)'];
  if (result.is_error) return [undefined, `the result event is an error: ${excerpt(result.result)}`];
  return [String(result.result ?? '')];
}

function codexCalls(events, server) {
  return events
    .map((e, position) => ({ e, position }))
    .filter(({ e }) => e.type === 'item.completed' && e.item?.type === 'mcp_tool_call' && e.item.server === server)
    .map(({ e, position }) => {
      const i = e.item;
      const t = i.result ? text(i.result.content) : '';
      const error = i.status !== 'completed' || i.error
        ? `the call ended with status ${i.status}: ${excerpt(i.error?.message ?? JSON.stringify(i.error ?? i.result))}`
        : undefined;
      return { tool: i.tool, position, error, text: t, structured: i.result?.structured_content ?? parse(t) };
    });
}

function codexFinal(events) {
  const message = events.filter((e) => e.type === 'item.completed' && e.item?.type === 'agent_message').pop();
  if (!message) return [undefined, 'no agent_message item (did codex finish?)'];
  return [String(message.item.text ?? '')];
}

const events = lines(file);
const calls = mode === 'claude' ? claudeCalls(events) : codexCalls(events, values.server);
const [final, finalReason] = mode === 'claude' ? claudeFinal(events) : codexFinal(events);

function fail(reason) {
  const seen = calls.map((c) => `${c.tool}${c.error ? ' (failed)' : ''}`).join(', ') || 'none';
  console.log(`${reason}; tool calls seen: ${seen}`);
  process.exit(1);
}

const said = [];
let after = -1;
for (const spec of values.call) {
  const failing = spec.startsWith('!');
  const eq = spec.indexOf('=');
  const tool = (eq < 0 ? spec : spec.slice(0, eq)).slice(failing ? 1 : 0);
  const expected = eq < 0 ? undefined : spec.slice(eq + 1);
  const call = calls.find((c) => c.tool === tool && c.position > after);
  if (!call) {
    fail(calls.some((c) => c.tool === tool)
      ? `${tool} was called, but not after the calls before it` : `no call of ${tool} (is the mock up?)`);
  }
  if (failing) {
    if (!call.error) fail(`${tool} should have failed, but it returned ${excerpt(call.text)}`);
    after = call.position;
    said.push(`${tool} failed (${call.error.length > 160 ? `${call.error.slice(0, 160)}…` : call.error})`);
    continue;
  }
  if (call.error) fail(`${tool}: ${call.error}`);
  if (expected !== undefined && !call.text.includes(expected)) {
    fail(`${tool}: its result lacks ${JSON.stringify(expected)}; it said ${excerpt(call.text)}`);
  }
  after = call.position;
  said.push(`${tool} ok${expected !== undefined ? ` (result has ${expected})` : ''}`);
}

if (values.credential !== undefined) {
  // hub_info's caller.credential: which credential the hub saw the real CLI use (person, codex, claude)
  const seen = calls.map((c) => c.structured?.caller?.credential).filter((c) => c !== undefined);
  if (seen.length === 0) fail(`no hub_info result says which credential called (expected ${values.credential})`);
  const wrong = seen.find((c) => c !== values.credential);
  if (wrong !== undefined) fail(`the hub saw credential=${wrong}, expected ${values.credential}`);
  said.push(`the hub saw credential=${values.credential}`);
}

if (values.engine !== undefined) {
  const engines = calls
    .map((c) => c.structured?.caller?.engine ?? c.structured?.engine)
    .filter((e) => e !== undefined);
  if (engines.length === 0) fail(`no result says which engine called (expected ${values.engine})`);
  const other = engines.find((e) => e !== values.engine);
  if (other !== undefined) fail(`the hub saw engine=${other}, expected ${values.engine}`);
  const caller = calls.map((c) => c.structured?.caller).find((c) => c);
  said.push(caller
    ? `the hub saw clientName=${caller.clientName} clientVersion=${caller.clientVersion} engine=${caller.engine} `
      + `protocolVersion=${caller.protocolVersion}`
    : `the hub saw engine=${values.engine}`);
}

if (values.lost !== undefined) {
  const infos = calls.filter((c) => !c.error && c.structured?.caller && c.structured?.started);
  if (infos.length < 2) fail(`two hub_info results are needed, one before and one after the session was lost; saw ${infos.length}`);
  const [first, last] = [infos[0].structured, infos[infos.length - 1].structured];
  const short = (id) => `${String(id).slice(0, 8)}…`;
  if (values.lost === 'restart') {
    if (first.started === last.started) fail(`both hub_info calls reached the hub started at ${first.started}: no restart between them`);
    said.push(`hub_info answered from the hub started at ${first.started}, then from the one started at ${last.started}`);
  }
  const [was, now] = [first.caller.sessionId, last.caller.sessionId];
  if (!was) {
    said.push(`no session to lose: the client spoke protocol ${first.caller.protocolVersion}, which has none`);
  } else if (!now) {
    fail(`the first call came on session ${short(was)}, the last on none (protocol ${last.caller.protocolVersion})`);
  } else if (was === now) {
    fail(`both calls came on session ${short(was)} (protocol ${first.caller.protocolVersion}): it was not closed`);
  } else {
    said.push(`protocol ${first.caller.protocolVersion}: session ${short(was)} was gone (the hub answers 404), the client initialized session ${short(now)} and called again on it`);
  }
}

if (values.final !== undefined) {
  if (final === undefined) fail(finalReason);
  if (!final.includes(values.final)) {
    fail(`the final answer lacks ${JSON.stringify(values.final)}; it said ${excerpt(final)}`);
  }
  said.push(`final answer has ${values.final}`);
}

console.log(said.join('; '));
