// A loopback proxy that adds `Authorization: Bearer <token>` to every request, for clients that cannot send it
// (the MCP conformance suite). Everything else passes through unchanged, Host and Origin included, so the hub's
// DNS-rebinding checks still see what the client sent. Responses stream back as they come (SSE included).
//
// usage: node auth-proxy.mjs --target http://127.0.0.1:PORT --token-file FILE [--port N]
// prints: auth proxy listening on http://127.0.0.1:N/mcp
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    'token-file': { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
if (!values.target || !values['token-file']) {
  console.error('usage: node auth-proxy.mjs --target http://127.0.0.1:PORT --token-file FILE [--port N]');
  process.exit(2);
}
const target = new URL(values.target);
const token = readFileSync(values['token-file'], 'ascii').trim();

const server = http.createServer((req, res) => {
  // rawHeaders keeps the client's Host, Origin and header case exactly as sent.
  const headers = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() !== 'authorization') {
      headers.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
  }
  headers.push('Authorization', `Bearer ${token}`);
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (up) => {
      res.writeHead(up.statusCode, up.statusMessage, up.rawHeaders);
      res.flushHeaders();
      up.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
    }
    res.end(`auth proxy: ${e.message}\n`);
  });
  // A client that goes away (a cancelled GET stream) must close the upstream stream too.
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
});
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`auth proxy listening on http://127.0.0.1:${server.address().port}/mcp`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
