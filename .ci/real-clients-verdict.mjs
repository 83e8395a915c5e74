// Reads what a real client printed about one MCP tool call and checks that the hub saw that client: the tool's
// structured result must carry caller.engine = ENGINE. Prints one line (the caller as the hub saw it, or why
// not) and exits 0 only when the call went through and the engine matches.
//
// usage: node real-clients-verdict.mjs claude FILE TOOL ENGINE     (claude -p --output-format stream-json)
//        node real-clients-verdict.mjs codex FILE SERVER TOOL ENGINE   (codex exec --json)
import { readFileSync } from 'node:fs';

const [mode, file, ...rest] = process.argv.slice(2);

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

// Returns [structured result or undefined, reason when there is none].
function claude(events, tool) {
  const uses = events
    .filter((e) => e.type === 'assistant')
    .flatMap((e) => e.message?.content ?? [])
    .filter((c) => c.type === 'tool_use' && c.name === tool);
  if (uses.length === 0) return [undefined, `the model's tool_use of ${tool} never appeared (is the mock up?)`];
  const ids = new Set(uses.map((u) => u.id));
  for (const e of events.filter((e) => e.type === 'user')) {
    for (const c of e.message?.content ?? []) {
      if (c.type !== 'tool_result' || !ids.has(c.tool_use_id)) continue;
      if (c.is_error) return [undefined, `the tool call failed: ${text(c.content).slice(0, 300)}`];
      const structured = e.tool_use_result?.structuredContent ?? parse(text(c.content));
      return structured ? [structured] : [undefined, `the tool result is not JSON: ${text(c.content).slice(0, 300)}`];
    }
  }
  return [undefined, `no tool_result for ${tool}`];
}

function codex(events, server, tool) {
  const calls = events
    .filter((e) => e.type === 'item.completed' && e.item?.type === 'mcp_tool_call')
    .map((e) => e.item)
    .filter((i) => i.server === server && i.tool === tool);
  if (calls.length === 0) return [undefined, `no completed mcp_tool_call of ${server}/${tool}`];
  const call = calls[0];
  if (call.status !== 'completed' || call.error) {
    return [undefined, `the tool call ended ${call.status}: ${JSON.stringify(call.error).slice(0, 300)}`];
  }
  const structured = call.result?.structured_content ?? parse(text(call.result?.content));
  return structured ? [structured] : [undefined, `the tool result is not JSON: ${JSON.stringify(call.result).slice(0, 300)}`];
}

let result;
let engine;
if (mode === 'claude' && rest.length === 2) {
  engine = rest[1];
  result = claude(lines(file), rest[0]);
} else if (mode === 'codex' && rest.length === 3) {
  engine = rest[2];
  result = codex(lines(file), rest[0], rest[1]);
} else {
  console.error('usage: real-clients-verdict.mjs claude FILE TOOL ENGINE | codex FILE SERVER TOOL ENGINE');
  process.exit(2);
}

const [structured, reason] = result;
if (!structured) {
  console.log(reason);
  process.exit(1);
}
const caller = structured.caller ?? {};
const seen = `clientName=${caller.clientName} clientVersion=${caller.clientVersion} engine=${caller.engine} `
  + `protocolVersion=${caller.protocolVersion}`;
if (caller.engine !== engine) {
  console.log(`the hub saw ${seen}, expected engine=${engine}`);
  process.exit(1);
}
console.log(`the hub saw ${seen}`);
