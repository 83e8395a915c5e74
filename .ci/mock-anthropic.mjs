// A stand-in for the Anthropic Messages API on loopback, so Claude Code can make a real MCP tool call with no
// real model. It plays a two-turn script for any request that offers the tool named by --tool:
//   1. no tool_result for it in the conversation yet -> a tool_use of that tool with empty input;
//   2. a tool_result is there -> a final text "done".
// Any other request (Claude's side queries: titles, summaries, ...) gets a short text. Answers are SSE when the
// request says "stream": true, else JSON. Every request is appended to --log as one JSON line.
//
// usage: node mock-anthropic.mjs --tool mcp__tandem__hub_info --log FILE [--port N]
// prints: mock anthropic listening on http://127.0.0.1:N
import http from 'node:http';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    tool: { type: 'string' },
    log: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
if (!values.tool || !values.log) {
  console.error('usage: node mock-anthropic.mjs --tool NAME --log FILE [--port N]');
  process.exit(2);
}

let ids = 0;

function hasToolResult(messages) {
  return (messages ?? []).some(
    (m) => Array.isArray(m.content) && m.content.some((c) => c.type === 'tool_result'),
  );
}

function reply(body) {
  const offersTool = (body.tools ?? []).some((t) => t.name === values.tool);
  if (offersTool && !hasToolResult(body.messages)) {
    return { blocks: [{ type: 'tool_use', id: `toolu_mock_${++ids}`, name: values.tool, input: {} }], stop: 'tool_use' };
  }
  return { blocks: [{ type: 'text', text: offersTool ? 'done' : 'ok' }], stop: 'end_turn' };
}

function sse(res, answer, model) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: {
      id: `msg_mock_${++ids}`, type: 'message', role: 'assistant', model, content: [],
      stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
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
  send('message_delta', { delta: { stop_reason: answer.stop, stop_sequence: null }, usage: { output_tokens: 1 } });
  send('message_stop', {});
  res.end();
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
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 1 }));
    } else if (req.method === 'POST' && path === '/v1/messages') {
      const answer = reply(body);
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
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `mock: no ${path}` } }));
    }
  });
});
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`mock anthropic listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
