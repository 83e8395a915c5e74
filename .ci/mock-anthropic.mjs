// A stand-in for the Anthropic Messages API on loopback, so Claude Code can make real MCP tool calls with no
// real model. It plays a script, a JSON file read again at every request (so a suite can change it between
// client runs):
//   {"name": "memory", "calls": [{"tool": "mcp__tandem__memory_store", "input": {"content": "..."}},
//                                {"tool": "mcp__tandem__memory_search", "input": {"query": "..."}}],
//    "final": "memory_search said: {{last_result}}"}
// The step is the number of tool_result blocks already in the conversation: with k of them the answer is a
// tool_use of calls[k]; once every call has its result, the answer is the text `final` with {{last_result}}
// replaced by the text of the newest tool_result, so what the last tool returned ends up in Claude's final
// output. A request whose tools do not include the next call's tool gets a text saying which MCP tools it did
// offer (the transcript then shows why no call happened). A request with no tools at all (Claude's side queries:
// titles, summaries, ...) gets the text "ok". Answers are SSE when the request says "stream": true, else JSON.
// Every request is appended to --log as one JSON line with the script's name and the step.
//
// The "turns" form plays multi-step, multi-turn scripts (the jobs tests use it):
//   {"name": "jobs", "turns": [{"match": "refactor", "steps": [STEP, ...], "final": "done: {{last_result}}"}],
//    "usage": {...}}
// The turn is the one whose `match` the newest user message containing any turn's `match` contains (a turn
// without `match` fits any prompt); the step is the number of tool_result blocks after that message, so a
// follow-up turn, a resumed session and concurrent runs each find their own place with no state in the mock.
// A STEP is one answer: {"tool": "Bash", "input": {...}} (a tool_use), {"say": "text"}, or {"blocks": [...]},
// plus, on any step, "wait_for" (a file: hold the answer until it exists, so a suite can act between two steps
// while the client waits for the model), "delay_ms" (wait before answering), "usage" (this answer's usage:
// input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens) and "status"/"error" (answer
// with that HTTP error instead). Past the last step: the text `final`.
//
// usage: node mock-anthropic.mjs --script FILE --log FILE [--port N]
// prints: mock anthropic listening on http://127.0.0.1:N
import { mockArgs, readScript, serveMock, whenDue } from './mock-server.mjs';

const args = mockArgs('mock-anthropic.mjs');

let ids = 0;

function text(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((c) => c.type === 'text').map((c) => c.text).join('');
  return '';
}

function toolResults(messages) {
  return (messages ?? [])
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .filter((c) => c.type === 'tool_result');
}

// The text of a user message that is the person's, not only tool results.
function userText(m) {
  if (m.role !== 'user') return '';
  return text(m.content);
}

// Returns [turn, index of its user message] for the turns form: the newest user message holding a turn's match.
function findTurn(messages, turns) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const said = userText(messages[i]);
    const turn = turns.find((t) => t.match && said.includes(t.match));
    if (turn) return [turn, i];
  }
  const fallback = turns.find((t) => !t.match);
  if (!fallback) return [null, -1];
  let last = -1;
  messages.forEach((m, i) => {
    const blocks = Array.isArray(m.content) ? m.content : [];
    if (userText(m) !== '' && !blocks.some((c) => c.type === 'tool_result')) last = i;
  });
  return [fallback, last];
}

// Returns [answer, step, the step's script entry] for one request in the turns form.
function replyTurns(body, script) {
  const messages = body.messages ?? [];
  const [turn, at] = findTurn(messages, script.turns);
  if (!turn) return [{ blocks: [{ type: 'text', text: `mock: no turn of script ${script.name} matches` }], stop: 'end_turn' }, null, {}];
  const results = toolResults(messages.slice(at + 1));
  const step = results.length;
  const steps = turn.steps ?? [];
  if (step < steps.length) {
    const s = steps[step];
    let blocks;
    if (s.blocks) blocks = s.blocks;
    else if (s.say !== undefined) blocks = [{ type: 'text', text: s.say }];
    else if (s.tool) blocks = [{ type: 'tool_use', id: `toolu_mock_${++ids}`, name: s.tool, input: s.input ?? {} }];
    else if (s.status) blocks = [];
    else throw new Error(`unknown step ${JSON.stringify(s)}`);
    return [{ blocks, stop: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn' }, step, s];
  }
  const last = results.length > 0 ? text(results[results.length - 1].content) : '';
  const final = (turn.final ?? 'done').replaceAll('{{last_result}}', last);
  return [{ blocks: [{ type: 'text', text: final }], stop: 'end_turn' }, step, {}];
}

// Returns [answer, step] for one /v1/messages request.
function reply(body, script) {
  const offered = (body.tools ?? []).map((t) => t.name);
  if (offered.length === 0) return [{ blocks: [{ type: 'text', text: 'ok' }], stop: 'end_turn' }, null];
  const results = toolResults(body.messages);
  const step = results.length;
  const calls = script.calls ?? [];
  if (step < calls.length) {
    const call = calls[step];
    if (!offered.includes(call.tool)) {
      const mcp = offered.filter((n) => n.startsWith('mcp__'));
      const said = `mock: step ${step} wants ${call.tool}, not offered; MCP tools offered: ${mcp.join(', ') || 'none'}`;
      return [{ blocks: [{ type: 'text', text: said }], stop: 'end_turn' }, step];
    }
    const block = { type: 'tool_use', id: `toolu_mock_${++ids}`, name: call.tool, input: call.input ?? {} };
    return [{ blocks: [block], stop: 'tool_use' }, step];
  }
  const last = results.length > 0 ? text(results[results.length - 1].content) : '';
  const final = (script.final ?? 'done').replaceAll('{{last_result}}', last);
  return [{ blocks: [{ type: 'text', text: final }], stop: 'end_turn' }, step];
}

function sse(res, answer, model, usage) {
  const u = usage ?? { input_tokens: 1, output_tokens: 1 };
  const id = ++ids;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'request-id': `req_mock_${id}` });
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: {
      id: `msg_mock_${id}`, type: 'message', role: 'assistant', model, content: [],
      stop_reason: null, stop_sequence: null,
      usage: {
        input_tokens: u.input_tokens ?? 1, output_tokens: 1,
        cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
        cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
      },
    },
  });
  answer.blocks.forEach((block, index) => {
    if (block.type === 'tool_use') {
      send('content_block_start', { index, content_block: { ...block, input: {} } });
      send('content_block_delta', {
        index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    } else {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: answer.stop, stop_sequence: null }, usage: { output_tokens: u.output_tokens ?? 1 } });
  send('message_stop', {});
  res.end();
}

function error(res, status, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message } }));
}

serveMock({
  args,
  name: 'mock anthropic',
  fail: (res, message) => error(res, 500, message),
  handle: (req, path, body, entry, res) => {
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 1 }));
    } else if (req.method === 'POST' && path === '/v1/messages') {
      const script = readScript(args);
      if (script.turns && (body.tools ?? []).length > 0) {
        const [answer, step, s] = replyTurns(body, script);
        Object.assign(entry, { script: script.name, step, answer: s.status ? { status: s.status } : answer.blocks });
        whenDue(s, res, () => {
          if (s.status) {
            res.writeHead(s.status, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ type: 'error', error: s.error ?? { type: 'api_error', message: `mock failure ${s.status}` } }));
          } else if (body.stream) {
            sse(res, answer, body.model ?? 'mock-model', s.usage ?? script.usage);
          } else {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({
              id: `msg_mock_${++ids}`, type: 'message', role: 'assistant', model: body.model ?? 'mock-model',
              content: answer.blocks, stop_reason: answer.stop, stop_sequence: null,
              usage: s.usage ?? script.usage ?? { input_tokens: 1, output_tokens: 1 },
            }));
          }
        });
        return;
      }
      const [answer, step] = reply(body, script);
      Object.assign(entry, { script: script.name, step, answer: answer.blocks });
      const model = body.model ?? 'mock-model';
      if (body.stream) {
        sse(res, answer, model);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({
          id: `msg_mock_${++ids}`, type: 'message', role: 'assistant', model, content: answer.blocks,
          stop_reason: answer.stop, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
        }));
      }
    } else {
      error(res, 404, `mock: no ${req.method} ${path}`);
    }
  },
});
