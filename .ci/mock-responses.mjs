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
// usage: node mock-responses.mjs --script FILE --log FILE [--port N]
// prints: mock responses listening on http://127.0.0.1:N/v1
import { mockArgs, readScript, serveMock } from './mock-server.mjs';

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
      const [item, step] = reply(body, script);
      Object.assign(entry, { script: script.name, step, answer: item });
      const id = `resp_mock_${++ids}`;
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      send('response.created', { response: { id, object: 'response', status: 'in_progress', output: [] } });
      send('response.output_item.added', { output_index: 0, item });
      send('response.output_item.done', { output_index: 0, item });
      send('response.completed', {
        response: {
          id, object: 'response', status: 'completed', output: [item],
          usage: {
            input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1,
            output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2,
          },
        },
      });
      res.end();
    } else if (req.method === 'GET' && path === '/v1/models') {
      json(res, 200, { object: 'list', data: [], models: [] });
    } else {
      json(res, 404, { error: { message: `mock: no ${req.method} ${path}`, type: 'not_found' } });
    }
  },
});
