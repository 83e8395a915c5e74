// A stand-in for the OpenAI Responses API on loopback, so Codex CLI can make a real MCP tool call with no real
// model. `POST /v1/responses` is answered as SSE with a two-turn script for any request that offers the tool
// --tool in the namespace --namespace (Codex offers MCP tools as {"type":"namespace","name":"mcp__NAME",...}):
//   1. no function_call_output in the input yet -> a function_call of that tool with "{}" as arguments;
//   2. a function_call_output is there -> a final assistant message "done".
// Any other request gets the message "ok". Every request is appended to --log as one JSON line.
//
// usage: node mock-responses.mjs --namespace mcp__tandem --tool hub_info --log FILE [--port N]
// prints: mock responses listening on http://127.0.0.1:N/v1
import http from 'node:http';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    namespace: { type: 'string' },
    tool: { type: 'string' },
    log: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
if (!values.namespace || !values.tool || !values.log) {
  console.error('usage: node mock-responses.mjs --namespace NS --tool NAME --log FILE [--port N]');
  process.exit(2);
}

let ids = 0;

function offersTool(tools) {
  return (tools ?? []).some(
    (t) =>
      (t.type === 'namespace' && t.name === values.namespace && (t.tools ?? []).some((f) => f.name === values.tool)) ||
      (t.type === 'function' && t.name === `${values.namespace}__${values.tool}`),
  );
}

function reply(body) {
  const input = Array.isArray(body.input) ? body.input : [];
  if (offersTool(body.tools) && !input.some((i) => i.type === 'function_call_output')) {
    return {
      type: 'function_call', id: `fc_mock_${++ids}`, call_id: `call_mock_${ids}`, namespace: values.namespace,
      name: values.tool, arguments: '{}', status: 'completed',
    };
  }
  const text = offersTool(body.tools) ? 'done' : 'ok';
  return {
    type: 'message', id: `msg_mock_${++ids}`, role: 'assistant', status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let body = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // logged below as it came
    }
    const path = req.url.split('?')[0];
    appendFileSync(values.log, JSON.stringify({ method: req.method, url: req.url, body: text ? body : null }) + '\n');
    if (req.method === 'POST' && path === '/v1/responses') {
      const item = reply(body);
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
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [], models: [] }));
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `mock: no ${req.method} ${path}`, type: 'not_found' } }));
    }
  });
});
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`mock responses listening on http://127.0.0.1:${server.address().port}/v1`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
