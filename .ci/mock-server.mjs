// What the two mock model APIs (mock-anthropic.mjs, mock-responses.mjs) share: their command line, reading the
// request body, logging every request as one JSON line, listening on loopback and exiting on SIGTERM/SIGINT.
import http from 'node:http';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

// Parses `--script FILE --log FILE [--port N]`; exits 2 with the usage line when one is missing.
export function mockArgs(program) {
  const { values } = parseArgs({
    options: {
      script: { type: 'string' },
      log: { type: 'string' },
      port: { type: 'string', default: '0' },
    },
  });
  if (!values.script || !values.log) {
    console.error(`usage: node ${program} --script FILE --log FILE [--port N]`);
    process.exit(2);
  }
  return values;
}

// Reads the script again (a suite may change it between client runs).
export function readScript(args) {
  return JSON.parse(readFileSync(args.script, 'utf8'));
}

// Serves `handle(req, path, body, entry, res)` on 127.0.0.1 and prints `${name} listening on http://127.0.0.1:N${suffix}`.
// `entry` is the request's log line: the handler may add to it. A handler that throws gets `fail(res, message)`.
export function serveMock({ args, name, suffix = '', handle, fail }) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        // logged below as it came
      }
      const path = req.url.split('?')[0];
      const entry = { method: req.method, url: req.url };
      try {
        handle(req, path, body, entry, res);
      } catch (e) {
        entry.error = String(e);
        fail(res, `mock: ${e}`);
      }
      appendFileSync(args.log, JSON.stringify({ ...entry, body: raw ? body : null }) + '\n');
    });
  });
  server.listen(Number(args.port), '127.0.0.1', () => {
    console.log(`${name} listening on http://127.0.0.1:${server.address().port}${suffix}`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => process.exit(0));
  }
}

// Calls `answer()` when a script step may be answered: once the file the step's `wait_for` names exists (polled
// every 50 ms; a suite creates it to say "go", e.g. after restarting the hub under a running client), then after
// the step's `delay_ms`. Gives up, answering nothing, when the client closed the request meanwhile.
export function whenDue(step, res, answer) {
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const later = () => setTimeout(answer, step.delay_ms ?? 0);
  if (!step.wait_for) {
    later();
    return;
  }
  const poll = () => {
    if (gone) return;
    if (existsSync(step.wait_for)) later();
    else setTimeout(poll, 50);
  };
  poll();
}
