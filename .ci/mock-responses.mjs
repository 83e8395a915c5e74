// A stand-in for the OpenAI Responses API on loopback, so Codex CLI can make real MCP tool calls with no real
// model. `POST /v1/responses` is answered as SSE from a script, a JSON file read again at every request (so a
// suite can change it between client runs):
//   {"name": "files", "calls": [{"namespace": "mcp__tandem", "tool": "portfolio_read", "arguments": {"name": "x"}},
//                               {"namespace": "mcp__tandem", "tool": "fs_read", "arguments": {"path": "y"}}],
//    "final": "fs_read said: {{last_result}}"}
// Codex offers an MCP server's tools as one {"type":"namespace","name":"mcp__NAME","tools":[...]} tool. The step
// is the number of function_call_output items already in the input: with k of them the answer is a
// function_call of calls[k]; once every call has its output, the answer is an assistant message with `final`,
// {{last_result}} replaced by the text of the newest function_call_output. A request whose tools lack the next
// call's tool gets a message saying which namespaces it did offer; a request with no tools gets "ok". Every
// request is appended to --log as one JSON line with the script's name and the step.
//
// The "turns" form plays multi-step, multi-turn scripts (the jobs tests use it):
//   {"name": "jobs", "turns": [{"match": "refactor", "steps": [STEP, ...], "final": "done: {{last_result}}"}],
//    "usage": {...}}
// The turn is the one whose `match` the newest user message containing any turn's `match` contains (a turn
// without `match` fits any prompt); the step is the number of tool outputs in the input after that message, so
// a follow-up turn, a resumed session and concurrent runs each find their own place with no state in the mock.
// A STEP is one answer:
//   {"shell": "CMD", "escalate": true, "justification": "why"}  an exec_command call (escalate: ask to leave
//                                                                the sandbox, which needs an approval)
//   {"patch": "*** Begin Patch\n...\n*** End Patch"}          apply_patch through exec_command (a file change)
//   {"call": {"namespace": "mcp__x", "tool": "t", "arguments": {}}}  an MCP tool call
//   {"items": [raw output items]}                                as given
//   {"say": "text"}                                              an assistant message (ends the turn)
// plus, on any step, "wait_for" (a file: hold the answer until it exists, so a suite can act between two steps
// while the client waits for the model), "delay_ms" (wait before answering), "usage" (this answer's usage) and
// "status"/"error" (answer with that HTTP error instead). Past the last step: an assistant message with `final`.
//
// usage: node mock-responses.mjs --script FILE --log FILE [--port N]
// prints: mock responses listening on http://127.0.0.1:N/v1
import { mockArgs, readScript, serveMock, whenDue } from './mock-server.mjs';

const args = mockArgs('mock-responses.mjs');

let ids = 0;

function offers(tools, namespace, tool) {
  return (tools ?? []).some(
    (t) =>
      (t.type === 'namespace' && t.name === namespace && (t.tools ?? []).some((f) => f.name === tool)) ||
      (t.type === 'function' && t.name === `${namespace}__${tool}`),
  );
}

// The text of a function_call_output's output: a string, or content items with text.
function text(output) {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((o) => (typeof o === 'string' ? o : o?.text ?? '')).join('');
  if (output && typeof output === 'object') return typeof output.content === 'string' ? output.content : JSON.stringify(output);
  return '';
}

function message(said) {
  return {
    type: 'message', id: `msg_mock_${++ids}`, role: 'assistant', status: 'completed',
    content: [{ type: 'output_text', text: said, annotations: [] }],
  };
}

// The text of a Responses API message's content.
function contentText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (typeof c?.text === 'string' ? c.text : '')).join('');
}

function isOutput(item) {
  return /_output$/.test(item?.type ?? '');
}

// Returns [turn, index of its user message] for the turns form: the newest user message holding a turn's match.
function findTurn(input, turns) {
  for (let i = input.length - 1; i >= 0; i--) {
    const it = input[i];
    if (it.type !== 'message' || it.role !== 'user') continue;
    const said = contentText(it.content);
    const turn = turns.find((t) => t.match && said.includes(t.match));
    if (turn) return [turn, i];
  }
  const fallback = turns.find((t) => !t.match);
  if (!fallback) return [null, -1];
  let last = -1;
  input.forEach((it, i) => {
    if (it.type === 'message' && it.role === 'user') last = i;
  });
  return [fallback, last];
}

function stepItem(s) {
  if (s.items) return s.items.map((it) => ({ id: `item_mock_${++ids}`, status: 'completed', ...it }));
  if (s.say !== undefined) return [message(s.say)];
  let namespace;
  let name = 'exec_command';
  let args;
  if (s.shell !== undefined) {
    args = { cmd: s.shell, yield_time_ms: 10000 };
    if (s.escalate) Object.assign(args, { sandbox_permissions: 'require_escalated', justification: s.justification ?? 'the task needs it' });
  } else if (s.patch !== undefined) {
    args = { cmd: `apply_patch <<'PATCH'\n${s.patch}\nPATCH`, yield_time_ms: 10000 };
    if (s.escalate) Object.assign(args, { sandbox_permissions: 'require_escalated', justification: s.justification ?? 'the task needs it' });
  } else if (s.call) {
    namespace = s.call.namespace;
    name = s.call.tool;
    args = s.call.arguments ?? {};
  } else {
    throw new Error(`unknown step ${JSON.stringify(s)}`);
  }
  const item = { type: 'function_call', id: `fc_mock_${++ids}`, call_id: `call_mock_${ids}`, name, arguments: JSON.stringify(args), status: 'completed' };
  if (namespace) item.namespace = namespace;
  return [item];
}

// Returns [output items, step, the step's script entry] for one request in the turns form.
function replyTurns(body, script) {
  const input = Array.isArray(body.input) ? body.input : [];
  const [turn, at] = findTurn(input, script.turns);
  if (!turn) return [[message(`mock: no turn of script ${script.name} matches the prompt`)], null, {}];
  const after = input.slice(at + 1).filter(isOutput);
  const step = after.length;
  const steps = turn.steps ?? [];
  if (step < steps.length) return [steps[step].status ? [] : stepItem(steps[step]), step, steps[step]];
  const last = after.length > 0 ? text(after[after.length - 1].output) : '';
  return [[message((turn.final ?? 'done').replaceAll('{{last_result}}', last))], step, {}];
}

// Returns [output item, step] for one /v1/responses request.
function reply(body, script) {
  const tools = body.tools ?? [];
  if (tools.length === 0) return [message('ok'), null];
  const input = Array.isArray(body.input) ? body.input : [];
  const outputs = input.filter((i) => i.type === 'function_call_output');
  const step = outputs.length;
  const calls = script.calls ?? [];
  if (step < calls.length) {
    const call = calls[step];
    if (!offers(tools, call.namespace, call.tool)) {
      const names = tools.filter((t) => t.type === 'namespace').map((t) => t.name);
      return [message(`mock: step ${step} wants ${call.namespace}/${call.tool}, not offered; namespaces offered: ${names.join(', ') || 'none'}`), step];
    }
    const item = {
      type: 'function_call', id: `fc_mock_${++ids}`, call_id: `call_mock_${ids}`, namespace: call.namespace,
      name: call.tool, arguments: JSON.stringify(call.arguments ?? {}), status: 'completed',
    };
    return [item, step];
  }
  const last = outputs.length > 0 ? text(outputs[outputs.length - 1].output) : '';
  return [message((script.final ?? 'done').replaceAll('{{last_result}}', last)), step];
}

function json(res, status, value) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

serveMock({
  args,
  name: 'mock responses',
  suffix: '/v1',
  fail: (res, message) => json(res, 500, { error: { message, type: 'server_error' } }),
  handle: (req, path, body, entry, res) => {
    if (req.method === 'POST' && path === '/v1/responses') {
      const script = readScript(args);
      if (script.turns && (body.tools ?? []).length > 0) {
        const [items, step, s] = replyTurns(body, script);
        Object.assign(entry, { script: script.name, step, answer: s.status ? { status: s.status } : items });
        whenDue(s, res, () => {
          if (s.status) {
            json(res, s.status, { error: s.error ?? { message: `mock failure ${s.status}`, type: 'server_error' } });
            return;
          }
          stream(res, items, s.usage ?? script.usage);
        });
        return;
      }
      const [item, step] = reply(body, script);
      Object.assign(entry, { script: script.name, step, answer: item });
      stream(res, [item]);
    } else if (req.method === 'GET' && path === '/v1/models') {
      json(res, 200, { object: 'list', data: [], models: [] });
    } else {
      json(res, 404, { error: { message: `mock: no ${req.method} ${path}`, type: 'not_found' } });
    }
  },
});

// Answers with the output items as the Responses API's SSE stream.
function stream(res, items, usage) {
  const id = `resp_mock_${++ids}`;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('response.created', { response: { id, object: 'response', status: 'in_progress', output: [] } });
  items.forEach((item, i) => {
    send('response.output_item.added', { output_index: i, item });
    send('response.output_item.done', { output_index: i, item });
  });
  send('response.completed', {
    response: {
      id, object: 'response', status: 'completed', output: items,
      usage: usage ?? {
        input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1,
        output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2,
      },
    },
  });
  res.end();
}
