// tools/call latency by response size over ONE keep-alive connection from Node's fetch (undici, the HTTP stack
// Claude Code uses), for several MCP servers in the same run. Run by bench/response-sizes.sh, which starts the
// servers; this script only talks to them.
//
//   node response-sizes.mjs --rounds 3 --calls 40 --warmup 10 --sizes 1,2,4,8 \
//     --target 'hub|http://127.0.0.1:P/mcp|TOKEN|fs_read|{"path":"r{kib}.txt","max_bytes":2000000}' \
//     --target 'everything|http://127.0.0.1:Q/mcp||echo|{"message":"{text}"}'
//
// In a target's arguments, {kib} is the size in KiB and {text} a run of letters long enough that the response
// is about that size. Prints one JSON object per (round, target, size) on stdout, then a Markdown table with the
// median over rounds of each round's p50 (and of its p90), and the median response size in bytes.
import { performance } from 'node:perf_hooks';

function parseArgs(argv) {
  const o = { rounds: 3, calls: 40, warmup: 10, sizes: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], targets: [] };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (a === '--rounds') o.rounds = Number(v);
    else if (a === '--calls') o.calls = Number(v);
    else if (a === '--warmup') o.warmup = Number(v);
    else if (a === '--sizes') o.sizes = v.split(',').map(Number);
    else if (a === '--target') {
      const [name, url, token, tool, args] = v.split('|');
      o.targets.push({ name, url, token, tool, args });
    } else throw new Error(`unknown argument ${a}`);
  }
  if (o.targets.length === 0) throw new Error('no --target');
  return o;
}

/** Parses a JSON body or the last `data:` event of an SSE body. */
function message(contentType, text) {
  if (!contentType.startsWith('text/event-stream')) return JSON.parse(text);
  const events = text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
  return JSON.parse(events[events.length - 1]);
}

class Session {
  constructor(target) {
    this.target = target;
    this.id = undefined;
    this.next = 1;
  }

  headers() {
    const h = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.target.token) h.authorization = `Bearer ${this.target.token}`;
    if (this.id) h['mcp-session-id'] = this.id;
    if (this.version) h['mcp-protocol-version'] = this.version;
    return h;
  }

  async post(body) {
    const res = await fetch(this.target.url, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${this.target.name}: HTTP ${res.status}: ${text.slice(0, 200)}`);
    return { res, text };
  }

  async open() {
    const { res, text } = await this.post({
      jsonrpc: '2.0', id: this.next++, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'response-sizes', version: '1' } },
    });
    this.id = res.headers.get('mcp-session-id') ?? undefined;
    this.version = message(res.headers.get('content-type') ?? '', text).result.protocolVersion;
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** One tools/call; returns [milliseconds, response bytes]. */
  async call(args) {
    const body = JSON.stringify({ jsonrpc: '2.0', id: this.next++, method: 'tools/call',
      params: { name: this.target.tool, arguments: args } });
    const start = performance.now();
    const res = await fetch(this.target.url, { method: 'POST', headers: this.headers(), body });
    const text = await res.text();
    const ms = performance.now() - start;
    const reply = message(res.headers.get('content-type') ?? '', text);
    if (!res.ok || reply.error || reply.result?.isError) {
      throw new Error(`${this.target.name}: ${res.status} ${text.slice(0, 300)}`);
    }
    return [ms, Buffer.byteLength(text)];
  }
}

function argsFor(target, kib) {
  // the letters make the text part about kib KiB; the servers wrap it in a little JSON
  const text = 'x'.repeat(Math.max(1, kib * 1024 - 120));
  return JSON.parse(target.args.replaceAll('{kib}', String(kib)).replaceAll('{text}', text));
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const o = parseArgs(process.argv);
const sessions = new Map();
for (const t of o.targets) {
  const s = new Session(t);
  await s.open();
  sessions.set(t.name, s);
}
const rows = [];
for (let round = 1; round <= o.rounds; round++) {
  for (const kib of o.sizes) {
    for (const t of o.targets) {
      const s = sessions.get(t.name);
      const args = argsFor(t, kib);
      for (let i = 0; i < o.warmup; i++) await s.call(args);
      const times = [];
      let bytes = 0;
      for (let i = 0; i < o.calls; i++) {
        const [ms, b] = await s.call(args);
        times.push(ms);
        bytes = b;
      }
      times.sort((a, b) => a - b);
      const row = { round, target: t.name, kib, bytes, p50: quantile(times, 0.5), p90: quantile(times, 0.9) };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
}

const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const names = o.targets.map((t) => t.name);
console.log('');
console.log(`| response | ${names.map((n) => `${n} p50 ms | ${n} p90 ms`).join(' | ')} |`);
console.log(`| ---: | ${names.map(() => '---: | ---:').join(' | ')} |`);
for (const kib of o.sizes) {
  const cells = names.map((n) => {
    const mine = rows.filter((r) => r.target === n && r.kib === kib);
    return `${fmt(median(mine.map((r) => r.p50)))} | ${fmt(median(mine.map((r) => r.p90)))}`;
  });
  const label = kib >= 1024 ? `${kib / 1024} MiB` : `${kib} KiB`;
  console.log(`| ${label} | ${cells.join(' | ')} |`);
}
const sizes = names.map((n) => `${n}: ${o.sizes.map((k) => median(rows.filter((r) => r.target === n && r.kib === k)
  .map((r) => r.bytes))).join(', ')}`);
console.log('');
console.log(`response bytes per size (median): ${sizes.join('; ')}`);
