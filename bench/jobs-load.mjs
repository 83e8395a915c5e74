// The hub's overhead per job (run by bench/jobs.sh, which starts the mock model and the hub): batches of N one-shot
// Codex jobs started at once through the jobs API, beside the same `codex exec --json` runs started at once from
// this process as a shell would. Per job: the start latency (from the start request, or the spawn, to the
// engine's first event: `thread.started`, stored by the hub as the `session` event) and the time to the end; per
// batch: the hub's CPU time and its resident memory above what it held before the batch.
//
// Usage: node bench/jobs-load.mjs --base URL --token-file FILE --hub-pid PID --dir DIR --codex PATH
//          [--counts 1,4,16] [--rounds 5]
// The engine's environment is this process's own (bench/jobs.sh gives both sides the same one).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
for (const k of ['base', 'token-file', 'hub-pid', 'dir', 'codex']) {
  if (!args[k]) {
    console.error(`usage: node bench/jobs-load.mjs --base URL --token-file FILE --hub-pid PID --dir DIR --codex PATH [--counts 1,4,16] [--rounds 5]`);
    process.exit(2);
  }
}
const token = readFileSync(args['token-file'], 'utf8').trim();
const counts = (args.counts || '1,4,16').split(',').map(Number);
const rounds = Number(args.rounds || 5);
const hubPid = args['hub-pid'];
const TICKS = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function hubCpuMs() {
  const stat = readFileSync(`/proc/${hubPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS; // utime + stime
}

function hubRssKib() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${hubPid}/status`, 'utf8'));
  return Number(m[1]);
}

async function api(method, path, body) {
  const res = await fetch(`${args.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** One batch through the hub: N starts at once, then each job's first engine event and end. */
async function hubBatch(n, round) {
  const cpu0 = hubCpuMs();
  const rss0 = hubRssKib();
  let peak = rss0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, hubRssKib());
      await sleep(50);
    }
  })();
  const started = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t0 = Date.now();
      const job = await api('POST', '/api/jobs', {
        engine: 'codex',
        one_shot: true,
        dir: args.dir,
        prompt: `bench round ${round} job ${i} of ${n}`,
      });
      return { id: job.id, t0, answered: Date.now() };
    }),
  );
  const results = await Promise.all(
    started.map(async (s) => {
      let first = null;
      let after = 0;
      for (;;) {
        const page = await api('GET', `/api/jobs/${s.id}/events?after=${after}&wait=10`);
        for (const e of page.events) {
          after = e.seq;
          if (first === null && e.kind !== 'turn_started') first = Date.parse(e.at);
        }
        if (!['queued', 'running', 'waiting'].includes(page.job.status) && page.events.length === 0) {
          if (page.job.status !== 'completed') throw new Error(`job ${s.id} ${page.job.status}: ${page.job.error}`);
          return { start: first - s.t0, answer: s.answered - s.t0, total: Date.parse(page.job.ended) - s.t0 };
        }
      }
    }),
  );
  sampling = false;
  await sampler;
  const cpu = hubCpuMs() - cpu0;
  return { results, cpuPerJob: cpu / n, rssPerJob: (peak - rss0) / n, rssBefore: rss0 };
}

/** The same runs from a shell: N `codex exec` at once, the prompt on stdin, the first stdout line timed. */
async function shellBatch(n, round) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => new Promise((resolve, reject) => {
      const t0 = Date.now();
      const child = spawn(args.codex, ['exec', '--json', '--skip-git-repo-check', '--disable',
        'unbounded_connection_retries', '--sandbox=read-only', `--cd=${args.dir}`, '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
      let first = null;
      let buffered = '';
      child.stdout.on('data', (d) => {
        buffered += d;
        if (first === null && buffered.includes('\n')) first = Date.now();
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`codex exec exited ${code}: ${buffered.slice(-300)}`));
        else resolve({ start: first - t0, total: Date.now() - t0 });
      });
      child.stdin.end(`bench round ${round} shell ${i} of ${n}`);
    })),
  );
}

const fmt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
console.log('| concurrent jobs | via the hub: start → first event (ms) | start → end (ms) | from a shell: spawn → first event (ms) | spawn → end (ms) | hub CPU per job (ms) | hub RSS per running job (MiB) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
// one of each first, not counted: the JIT, the page cache and Codex's own first-run files
await hubBatch(1, 'warm-up');
await shellBatch(1, 'warm-up');
for (const n of counts) {
  const hub = { start: [], total: [], cpu: [], rss: [] };
  const shell = { start: [], total: [] };
  for (let r = 0; r < rounds; r++) {
    // alternate which side goes first, so neither always runs on a machine the other just warmed or loaded
    const sides = r % 2 === 0 ? ['hub', 'shell'] : ['shell', 'hub'];
    for (const side of sides) {
      if (side === 'hub') {
        const b = await hubBatch(n, r);
        for (const x of b.results) {
          hub.start.push(x.start);
          hub.total.push(x.total);
        }
        hub.cpu.push(b.cpuPerJob);
        hub.rss.push(b.rssPerJob / 1024);
      } else {
        for (const x of await shellBatch(n, r)) {
          shell.start.push(x.start);
          shell.total.push(x.total);
        }
      }
      await sleep(500);
    }
  }
  console.log(`| ${n} | ${fmt(median(hub.start))} | ${fmt(median(hub.total))} | ${fmt(median(shell.start))} | ${fmt(median(shell.total))} | ${fmt(median(hub.cpu))} | ${median(hub.rss).toFixed(1)} |`);
}
console.log(`\n(medians over ${rounds} rounds; per-job figures are medians of every job of every round; hub RSS ${(hubRssKib() / 1024).toFixed(0)} MiB at the end)`);
