// The dashboard in a real browser (run by .ci/dashboard, which starts the hub): makes MCP tool calls as Claude Code,
// gets a one-time login URL from `tandem dashboard`, then in headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core) logs in, finds those calls in the tools table, searches the stored memory, deletes it through
// the page and checks over MCP that it is gone; starts a Claude Code job over MCP and answers its approval requests
// with the Jobs view's Approve and Deny buttons (JOBS_SCRIPT: the mock model's script file, JOBS_ROOT: the hub's
// root); a browser without the cookie gets 401. Usage: usage_report over MCP, a hub call tied to its Claude session
// by the tool_use id in _meta, and the page's Usage view (USAGE_SESSIONS: the sessions of the placed logs), with its
// line for the one damaged response .ci/dashboard placed.
//
// Usage: node .ci/dashboard.mjs HUB_BASE_URL TOKEN_FILE OUT_DIR -- LOGIN_COMMAND...  (TOKEN_FILE: the person's token;
// its folder's tokens/claude is Claude Code's own credential)
// Prints one "dashboard: PASS ..." or "dashboard: FAIL ..." line per check; exits 1 when any check fails.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { chromium } = await import(join(here, 'tools/node_modules/playwright-core/index.mjs'));

const [base, tokenFile, out, dashdash, ...loginCommand] = process.argv.slice(2);
if (!base || !tokenFile || !out || dashdash !== '--' || loginCommand.length === 0) {
  console.error('usage: node .ci/dashboard.mjs HUB_BASE_URL TOKEN_FILE OUT_DIR -- LOGIN_COMMAND...');
  process.exit(2);
}
// MCP calls go with Claude Code's own credential (tokens/claude beside the person's token): the hub takes the engine
// from the credential, never from the name a client gives itself.
const token = readFileSync(join(dirname(tokenFile), 'tokens', 'claude'), 'utf8').trim();
mkdirSync(out, { recursive: true });

let failed = false;
const pass = (what) => console.log(`dashboard: PASS ${what}`);
const fail = (what) => {
  console.log(`dashboard: FAIL ${what}`);
  failed = true;
};
/** Runs one check: `body` returns the PASS text or throws; a throw is a FAIL naming the check. */
async function check(name, body) {
  try {
    pass(await body());
    return true;
  } catch (e) {
    fail(`${name}: ${e.message.split('\n')[0]}`);
    return false;
  }
}

// ---- MCP over Streamable HTTP, as Claude Code introduces itself ------------------------------------------------
let sessionId = null;
let nextId = 1;
let toolCalls = 0; // tools/call requests sent, which the claude card must count (and nothing of the set-up)
async function mcp(method, params, notification = false) {
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': '2025-06-18',
  };
  if (sessionId) headers['Mcp-Session-Id'] = sessionId;
  const message = { jsonrpc: '2.0', method, params };
  if (!notification) message.id = nextId++;
  if (method === 'tools/call') toolCalls++;
  const res = await fetch(`${base}/mcp`, { method: 'POST', headers, body: JSON.stringify(message) });
  if (res.headers.get('mcp-session-id')) sessionId = res.headers.get('mcp-session-id');
  const text = await res.text();
  if (notification) {
    if (res.status !== 202) throw new Error(`${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return null;
  }
  if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
  // A lone response comes as JSON or, when the hub streams, as the last SSE data event.
  const json = (res.headers.get('content-type') || '').includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5))).find((m) => m.id === message.id)
    : JSON.parse(text);
  if (!json) throw new Error(`${method}: no response in ${text.slice(0, 200)}`);
  if (json.error) throw new Error(`${method}: JSON-RPC error ${json.error.code} ${json.error.message}`);
  return json.result;
}

async function tool(name, args) {
  const result = await mcp('tools/call', { name, arguments: args });
  return result;
}

const marker = `dashmark${randomBytes(6).toString('hex')}`;
let memoryId = null;
let missingText = null; // what the agent was told when memory_retrieve failed

const mcpOk = await check('MCP tool calls as claude-code', async () => {
  const init = await mcp('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'claude-code', version: '2.1.329' },
  });
  await mcp('notifications/initialized', {}, true);
  const stored = await tool('memory_store', {
    title: `Dashboard check ${marker}`,
    content: `Stored by .ci/dashboard to be found and deleted in the browser: ${marker}.`,
    tags: ['ci-dashboard'],
  });
  if (stored.isError || !stored.structuredContent?.id) throw new Error(`memory_store answered ${JSON.stringify(stored).slice(0, 300)}`);
  memoryId = stored.structuredContent.id;
  const info = await tool('hub_info', {});
  if (info.isError) throw new Error(`hub_info answered ${JSON.stringify(info).slice(0, 300)}`);
  const missing = await tool('memory_retrieve', { id: 'nosuchmemory' });
  missingText = missing.content?.find((c) => c.type === 'text')?.text ?? '';
  if (!missing.isError) throw new Error(`memory_retrieve nosuchmemory did not fail: ${JSON.stringify(missing).slice(0, 300)}`);
  return `MCP as claude-code (hub ${init.serverInfo?.name} ${init.serverInfo?.version}): memory_store stored ${memoryId} with marker ${marker}; hub_info answered; memory_retrieve nosuchmemory failed as a tool error`;
});

// ---- usage: usage_report, and a hub call tied to its Claude session by the tool_use id Claude sends in _meta -----
const [codexSession, claudeSession] = (process.env.USAGE_SESSIONS || '').split(' ');
const usageOk = mcpOk && await check('usage_report and the joint ledger over MCP', async () => {
  // toolu_mock_6 is the mcp__echo__echo call in the Claude log placed in the hub's home (a real 2.1.329 log)
  const tied = await mcp('tools/call', { name: 'hub_info', arguments: {}, _meta: { 'claudecode/toolUseId': 'toolu_mock_6', progressToken: 7 } });
  if (tied.isError) throw new Error(`hub_info with _meta answered ${JSON.stringify(tied).slice(0, 200)}`);
  let report = null;
  for (let i = 0; i < 40 && !(report && report.structuredContent?.asOf); i++) { // the poller's first read
    if (i) await new Promise((r) => setTimeout(r, 500));
    report = await tool('usage_report', { days: 1 });
  }
  const r = report.structuredContent || {};
  if (report.isError || !r.asOf) throw new Error(`usage_report answered ${JSON.stringify(report).slice(0, 300)}`);
  const codex = r.engines?.codex?.costUSD;
  const claude = r.engines?.claude?.costUSD;
  if (Math.abs(codex - 0.01192) > 1e-6 || Math.abs(claude - 0.057) > 1e-6) {
    throw new Error(`usage_report costs codex ${codex}, claude ${claude} (expected 0.01192 and 0.057)`);
  }
  const text = JSON.stringify(report);
  for (const secret of ['/tmp/tr', codexSession, claudeSession, 'rollout-']) {
    if (secret && text.includes(secret)) throw new Error(`usage_report tells ${secret}`);
  }
  if (r.damagedResponses !== 1) throw new Error(`usage_report counts ${r.damagedResponses} damaged responses (expected the 1 placed)`);
  const bad = await tool('usage_report', { path: '/etc' });
  if (!bad.isError) throw new Error('usage_report took a path argument');
  return `usage_report (days 1): codex $${codex}, claude $${claude}, budgets ${r.budgets.map((b) => `${b.engine} ${b.level}`).join(', ')}, ${r.rateLimits.length} windows; no path or session in it; a path argument is refused`;
});

// ---- the login URL ---------------------------------------------------------------------------------------------
let loginUrl = null;
await check('tandem dashboard prints a login URL', async () => {
  const run = spawnSync(loginCommand[0], loginCommand.slice(1), { encoding: 'utf8', timeout: 60_000 });
  const lines = (run.stdout || '').trim().split('\n');
  const last = lines[lines.length - 1] || '';
  const expected = new RegExp(`^${base.replace(/[.]/g, '\\.')}/dashboard/login\\?code=[A-Za-z0-9_-]{40,}$`);
  if (run.status !== 0 || !expected.test(last)) {
    throw new Error(`exit ${run.status}${run.error ? ` (${run.error.message})` : ''}, stdout ${JSON.stringify(last.slice(0, 200))}, stderr ${JSON.stringify((run.stderr || '').trim().slice(-300))}`);
  }
  loginUrl = last;
  return `tandem dashboard printed ${last.replace(/code=.*/, 'code=<one-time code>')}`;
});

/**
 * Waits until the page has drawn the sections `testids` (data-testid) for `host` ('' = all hosts) and, when given, the
 * window `hours`, none of their requests still out unless `busy` (app.js leaves data-host, data-hours and aria-busy on
 * each; docs/dashboard.md): what a section shows once the page is done, never a read right after a click.
 */
async function drawn(page, testids, host, hours, { busy = false } = {}) {
  for (const id of testids) {
    const sel = `[data-testid=${id}][data-host="${host}"]${hours ? `[data-hours="${hours}"]` : ''}`
      + `${busy ? '' : '[aria-busy=false]'}`;
    try {
      await page.locator(sel).waitFor({ state: 'attached', timeout: 30_000 });
    } catch {
      const box = page.getByTestId(id);
      const [h, w, b] = await Promise.all(['data-host', 'data-hours', 'aria-busy'].map((a) => box.getAttribute(a)));
      throw new Error(`after 30 s the ${id} shows host ${JSON.stringify(h)}, hours ${w}, aria-busy ${b} `
        + `(waited for ${sel})`);
    }
  }
}

// ---- the browser -----------------------------------------------------------------------------------------------
// Playwright starts Chromium with a new, empty profile directory of its own (removed on close).
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = []; // page errors, console errors other than expected HTTP statuses, CSP violations
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.url().includes('/dashboard/assets/') && r.status() >= 400) problems.push(`${r.url()} answered ${r.status()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`request to another origin: ${r.url()}`);
  });

  const loggedIn = loginUrl !== null && await check('login', async () => {
    const res = await page.goto(loginUrl);
    const url = new URL(page.url());
    if (url.origin !== new URL(base).origin || url.pathname !== '/dashboard' || res.status() !== 200) {
      throw new Error(`the login URL led to ${page.url()} (HTTP ${res.status()})`);
    }
    const cookie = (await context.cookies()).find((c) => c.name === 'tandem_dashboard');
    if (!cookie || !cookie.httpOnly || cookie.sameSite !== 'Strict') {
      throw new Error(`cookie tandem_dashboard is ${cookie ? JSON.stringify({ httpOnly: cookie.httpOnly, sameSite: cookie.sameSite }) : 'missing'}`);
    }
    const csp = res.headers()['content-security-policy'] || '';
    if (!/script-src 'self'/.test(csp)) throw new Error(`/dashboard has no script-src 'self' CSP: ${JSON.stringify(csp)}`);
    return `login URL → ${url.pathname} (HTTP 200), cookie tandem_dashboard HttpOnly SameSite=Strict, CSP ${JSON.stringify(csp)}`;
  });

  if (loggedIn && mcpOk) {
    await check('tool row', async () => {
      // Telemetry is written off the request path in batches: refresh until the rows are there (at most ~15 s).
      const row = page.locator('[data-testid=tool-row][data-engine=claude][data-target=memory_store]');
      for (let i = 0; i < 30 && (await row.count()) === 0; i++) {
        await page.waitForTimeout(500);
        await page.getByTestId('refresh').click();
        await page.waitForLoadState('networkidle');
      }
      await row.first().waitFor({ timeout: 2000 });
      const cells = await row.first().locator('td').allInnerTexts();
      const other = page.locator('[data-testid=tool-row][data-engine=claude][data-target=hub_info]');
      await other.first().waitFor({ timeout: 5000 });
      const error = page.locator('[data-testid=error-row][data-target=memory_retrieve]');
      await error.first().waitFor({ timeout: 5000 });
      const errorText = (await error.first().innerText()).replace(/\s+/g, ' ');
      if (!errorText.includes('tool_error')) throw new Error(`the memory_retrieve error row says "${errorText}", not tool_error`);
      // the reason is what the agent was told (the tool's error text), not just its class
      const reason = (await error.first().getByTestId('error-reason').innerText()).trim();
      const told = (missingText || '').split('\n').map((l) => l.trim()).find((l) => l) || '';
      if (!reason || !told.startsWith(reason.replace(/…$/, ''))) {
        throw new Error(`the memory_retrieve error row gives the reason "${reason}", the agent was told "${told}"`);
      }
      // the protocol's set-up is counted apart: initialize is a set-up row, and the card counts tool calls only
      const init = page.locator('[data-testid=tool-row][data-engine=claude][data-method=initialize]');
      await init.first().waitFor({ timeout: 5000 });
      if ((await init.first().getAttribute('data-setup')) !== 'true') throw new Error('the initialize row is not marked set-up');
      const card = page.locator('[data-testid=engine-card][data-engine=claude]');
      const cardText = (await card.innerText()).replace(/\s+/g, ' ');
      if (!new RegExp(`\\b${toolCalls} calls?\\b`).test(cardText) || !/set-up request/.test(cardText)) {
        throw new Error(`the claude card should count its ${toolCalls} tool calls and its set-up apart: "${cardText}"`);
      }
      return `tools table has the row [${cells.join(' | ')}], a hub_info row and an initialize row marked set-up; `
        + `recent errors: "${errorText}" (the reason is what the agent was told); claude card: "${cardText.slice(0, 120)}"`;
    });

    // Light and dark (prefers-color-scheme), at 1280, 800 and 390 px: nothing scrolls sideways; at 390 px the tables
    // are stacked rows, each cell under its column's name.
    await check('widths and themes', async () => {
      const seen = [];
      const backgrounds = {};
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const width of [1280, 800, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(150); // the charts redraw for the new width on the next frame
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > width) throw new Error(`${scheme}, ${width} px: the page is ${scroll} px wide (scrolls sideways)`);
          const cell = await page.evaluate(() => {
            const td = document.querySelector('[data-testid=tool-row] td:nth-child(3)');
            return td ? { display: getComputedStyle(td).display, label: td.dataset.label } : null;
          });
          if (!cell) throw new Error('no tool row to look at');
          if (width === 390 && (cell.display !== 'block' || cell.label !== 'Tool / target')) {
            throw new Error(`390 px: a tools table cell is display ${cell.display}, labelled ${JSON.stringify(cell.label)} (want stacked rows)`);
          }
          if (width !== 390 && cell.display !== 'table-cell') throw new Error(`${width} px: the tools table is not a table (${cell.display})`);
          backgrounds[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          await page.screenshot({ path: join(out, `overview-${width}-${scheme}.png`), fullPage: true });
          if (width === 390) {
            await page.screenshot({ path: join(out, `top-390-${scheme}.png`) }); // the first screen of a phone
            await page.locator('section[aria-labelledby=tools-title]').screenshot({ path: join(out, `tools-390-${scheme}.png`) });
          }
          seen.push(`${scheme} ${width} px fits${width === 390 ? ' (stacked rows)' : ''}`);
        }
      }
      if (backgrounds.light === backgrounds.dark) throw new Error(`the dark theme has the light background ${backgrounds.dark}`);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1280, height: 900 });
      return `${seen.join(', ')}; body background light ${backgrounds.light}, dark ${backgrounds.dark} (target/dashboard/overview-WIDTH-SCHEME.png)`;
    });

    await check('/ redirects to /dashboard', async () => {
      const res = await page.goto(`${base}/`);
      const url = new URL(page.url());
      if (url.pathname !== '/dashboard' || res.status() !== 200) throw new Error(`/ led to ${page.url()} (HTTP ${res.status()})`);
      await page.getByTestId('sync-status').locator('[data-testid=sync-finding], p').first().waitFor({ timeout: 5000 });
      return `${base}/ → ${url.pathname} (HTTP ${res.status()}), still signed in`;
    });

    if (usageOk) {
      await check('usage view', async () => {
        const section = page.getByTestId('usage-section');
        await section.scrollIntoViewIfNeeded();
        const codexCard = page.locator('[data-testid=usage-card][data-engine=codex] [data-testid=usage-cost]');
        await codexCard.waitFor({ timeout: 10_000 });
        const codexCost = await codexCard.innerText();
        if (!codexCost.startsWith('$0.01')) throw new Error(`the codex usage card says ${codexCost}`);
        const bars = page.locator('[data-testid=usage-bar]');
        const models = new Set();
        for (let i = 0; i < await bars.count(); i++) {
          models.add(`${await bars.nth(i).getAttribute('data-engine')}/${await bars.nth(i).getAttribute('data-model')}`);
        }
        for (const want of ['codex/gpt-5.5', 'claude/claude-sonnet-4-5-20250929']) {
          if (!models.has(want)) throw new Error(`no ${want} bar in the daily cost chart (has ${[...models].join(', ')})`);
        }
        if (await page.getByTestId('budget-line').count() !== 2) throw new Error('the chart does not draw the two daily budgets');
        const levels = [];
        for (const b of await page.getByTestId('budget-status').all()) levels.push(`${await b.getAttribute('data-engine')}:${await b.getAttribute('data-level')}`);
        if (!levels.includes('all:over') || !levels.includes('codex:warning')) throw new Error(`budget chips say ${levels.join(', ')}`);
        const primary = page.locator('[data-testid=usage-window-row][data-engine=codex][data-name=primary]');
        if (await primary.getAttribute('data-used') !== '12.5') throw new Error(`codex 5-hour window used ${await primary.getAttribute('data-used')}`);
        const claudeRow = page.locator(`[data-testid=usage-session-row][data-session="${claudeSession}"]`);
        const tools = await claudeRow.getByTestId('usage-session-tools').innerText();
        if (!tools.includes('hub_info')) throw new Error(`the claude session's hub tools say "${tools}"`);
        const tokens = (await page.locator('[data-testid=usage-token-row][data-engine=claude]').innerText()).replace(/\s+/g, ' ');
        await section.screenshot({ path: join(out, 'usage.png') });
        for (const width of [1280, 800]) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(100);
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > width) throw new Error(`with the usage view at ${width} px the page is ${scroll} px wide`);
          if (width === 800) await section.screenshot({ path: join(out, 'usage-800.png') });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
        return `Usage view: codex card ${codexCost}, bars for ${[...models].join(', ')}, two budget lines, chips ${levels.join(', ')}, codex 5-hour window 12.5 %, claude session ${claudeSession.slice(0, 8)} called ${tools}; claude tokens "${tokens}"; fits 1280 and 800 px (target/dashboard/usage.png, usage-800.png)`;
      });
    }

    // .ci/dashboard placed one damaged response (more than 10^9 input tokens) beside the logs: in no card, so a line
    // near the cards says it was left out, and where to read why.
    if (usageOk) {
      await check('usage view: damaged responses', async () => {
        const line = page.getByTestId('usage-damaged');
        await line.waitFor({ timeout: 10_000 });
        const text = await line.innerText();
        if (await line.getAttribute('data-count') !== '1') throw new Error(`the damaged line counts ${await line.getAttribute('data-count')}`);
        if (!text.startsWith('! 1 damaged response not priced: ') || !text.includes('docs/usage.md#damaged-lines')) {
          throw new Error(`the damaged line says "${text}"`);
        }
        const cards = await page.locator('#usage-cards').boundingBox();
        const box = await line.boundingBox();
        if (!cards || !box || box.y < cards.y || box.y > cards.y + cards.height) throw new Error('the damaged line is not with the cost cards');
        if (box.width < cards.width * 0.9) throw new Error(`the damaged line is ${box.width} px wide beside cards ${cards.width} px wide`);
        await page.locator('#usage-cards').screenshot({ path: join(out, 'usage-damaged.png') });
        return `Usage view: "${text}" under the cost cards, as wide as they are (target/dashboard/usage-damaged.png)`;
      });
    }

    // .ci/dashboard ran `tandem sync check-sync` on the hub's empty home first: drift, exit code 1.
    await check('check-sync status', async () => {
      const sync = page.getByTestId('sync-status');
      const state = await sync.getAttribute('data-state');
      const text = (await sync.innerText()).replace(/\s+/g, ' ');
      if (state !== 'drift' || !/Drifted/.test(text) || !/Exit code 1\b/.test(text)) {
        throw new Error(`the check-sync panel is in state ${state}: "${text.slice(0, 200)}"`);
      }
      // in words: which file (and whose), which setting or part, what to run
      const findings = (await sync.getByTestId('sync-finding').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      const config = findings.find((t) => t.includes('~/.codex/config.toml')) || '';
      if (!/\(Codex CLI\) The setting mcp_servers\.tandem is missing; the source sets it to/.test(config)
        || !/To fix: tandem sync push-runtime/.test(config)) {
        throw new Error(`the ~/.codex/config.toml finding does not say which setting and what to run: "${config.slice(0, 300)}"`);
      }
      const agents = findings.find((t) => t.includes('~/.codex/AGENTS.md')) || '';
      if (!/The file is missing/.test(agents)) throw new Error(`the missing ~/.codex/AGENTS.md reads "${agents.slice(0, 300)}"`);
      const words = config;
      await sync.screenshot({ path: join(out, 'check-sync.png') });
      return `the check-sync panel shows the record tandem sync check-sync left: "${text.slice(0, 110)}…"; first finding: "${words.slice(0, 200)}" (target/dashboard/check-sync.png)`;
    });

    const found = await check('memory search', async () => {
      await page.getByTestId('memory-search-input').fill(marker);
      const answered = page.waitForResponse((r) => r.url().includes('/api/memories?q='));
      await page.getByTestId('memory-search-input').press('Enter');
      const res = await answered;
      if (res.status() !== 200) throw new Error(`GET /api/memories?q=${marker} answered ${res.status()}`);
      await page.getByTestId('memories-hint').filter({ hasText: marker }).waitFor({ timeout: 10_000 });
      const item = page.locator(`[data-testid=memory-item][data-id="${memoryId}"]`);
      await item.waitFor({ timeout: 10_000 });
      const count = await page.getByTestId('memory-item').count();
      const text = (await item.innerText()).replace(/\s+/g, ' ');
      if (!text.includes(marker)) throw new Error(`the item for ${memoryId} does not show the marker: ${text.slice(0, 200)}`);
      if (count !== 1) throw new Error(`searching for ${marker} lists ${count} memories, expected 1`);
      await item.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(out, 'memory-search.png'), fullPage: true });
      return `searching "${marker}" lists 1 memory, ${memoryId}: "${text.slice(0, 90)}…" (target/dashboard/memory-search.png)`;
    });

    // ---- the Jobs view: a real Claude Code job waits for the person; the page's buttons answer it ---------------
    const jobsScript = process.env.JOBS_SCRIPT;
    const jobsRoot = process.env.JOBS_ROOT;
    if (jobsScript && jobsRoot) {
      await check('jobs view approve and deny', async () => {
        writeFileSync(jobsScript, JSON.stringify({
          name: 'dashboard-jobs',
          turns: [{
            match: marker,
            steps: [
              { tool: 'Write', input: { file_path: join(jobsRoot, 'written-in-browser.txt'), content: `${marker}\n` } },
              // a git hook Claude Code writes without asking in acceptEdits: the record lists it as a protected change
              { tool: 'Write', input: { file_path: join(jobsRoot, '.githooks', 'pre-commit'), content: 'echo hook\n' } },
              { tool: 'Bash', input: { command: "sh -c 'touch approved-in-browser.txt'", description: 'approve me' } },
              { tool: 'Bash', input: { command: "sh -c 'touch denied-in-browser.txt'", description: 'deny me' } },
            ],
            final: 'browser check done',
          }],
        }));
        // workspace-write: the edit goes through without asking (so do plain file commands such as touch in the
        // folder: Claude Code's acceptEdits), a shell running another program asks the person
        const started = await tool('job_start', {
          engine: 'claude', prompt: `dashboard job ${marker}`, dir: jobsRoot, sandbox: 'workspace-write',
        });
        if (started.isError) throw new Error(`job_start answered ${JSON.stringify(started).slice(0, 300)}`);
        const id = started.structuredContent.id;
        const row = page.locator(`[data-testid=job-row][data-job="${id}"]`);
        await row.waitFor({ timeout: 20_000 });
        await row.click();
        const detail = page.getByTestId('job-detail');
        const eventsBox = detail.getByTestId('job-events');
        let forged = '';
        for (const [button, request] of [['job-approve', '1'], ['job-deny', '2']]) {
          const b = detail.locator(`[data-testid=${button}][data-request="${request}"]`);
          await b.waitFor({ timeout: 60_000 });
          const waiting = (await detail.getByTestId('job-waiting').innerText()).replace(/\s+/g, ' ');
          if (!/Waiting for you/.test(waiting)) throw new Error(`the waiting box says "${waiting}"`);
          const status = (await detail.getByTestId('job-status').innerText()).trim();
          if (!/waiting for you/.test(status)) throw new Error(`while it waits the job's status says "${status}"`);
          // the live stream shows the request while the job still runs
          await eventsBox.filter({ hasText: `approval_request #${request} ` }).waitFor({ timeout: 10_000 });
          if (request === '2') {
            // the page's cookie without the page's Origin (another site's form, a script elsewhere) answers nothing
            const url = `${base}/api/jobs/${id}/approve`;
            const data = { request_id: '2', approve: true };
            const evil = await context.request.post(url, { data, headers: { Origin: 'http://evil.example' } });
            const none = await context.request.post(url, { data });
            if (evil.status() !== 403 || none.status() !== 403) {
              throw new Error(`a forged approve answered ${evil.status()} (other Origin) and ${none.status()} (no Origin), not 403`);
            }
            forged = `; with the cookie but another Origin or none, POST approve answered 403 and 403`;
          }
          const answered = page.waitForResponse((r) => r.url().endsWith(`/api/jobs/${id}/approve`));
          if (request === '1') await page.screenshot({ path: join(out, 'job-waiting.png'), fullPage: true });
          await b.click();
          const res = await answered;
          if (res.status() !== 200) throw new Error(`${button} answered ${res.status()}: ${(await res.text()).slice(0, 200)}`);
        }
        await detail.getByTestId('job-status').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });
        const events = (await eventsBox.innerText()).replace(/\s+/g, ' ');
        if (!/#1 approved by person/.test(events) || !/#2 denied by person/.test(events)) {
          throw new Error(`the live events do not show both answers: "${events.slice(-400)}"`);
        }
        const approved = existsSync(join(jobsRoot, 'approved-in-browser.txt'));
        const denied = existsSync(join(jobsRoot, 'denied-in-browser.txt'));
        if (!approved || denied) throw new Error(`after approve and deny: approved file ${approved}, denied file ${denied}`);
        const files = (await detail.getByTestId('job-files').innerText()).trim();
        if (!files.includes('written-in-browser.txt')) throw new Error(`files changed says "${files}"`);
        // the code-running file the job wrote is shown, highlighted, in the detail (the record's protected_changes)
        const hook = join(jobsRoot, '.githooks', 'pre-commit');
        const protectedBox = detail.getByTestId('job-protected');
        await protectedBox.waitFor({ timeout: 10_000 });
        const protectedText = (await protectedBox.innerText()).trim();
        if (!protectedText.split('\n').some((l) => /^added \S*\/\.githooks\/pre-commit$/.test(l.trim()))) {
          throw new Error(`the code-running files box says "${protectedText.slice(0, 300)}", not "added ${hook}"`);
        }
        const tokens = (await detail.getByTestId('job-tokens').innerText()).trim();
        if (!/^[1-9]\d* in .* [1-9]\d* out/.test(tokens)) throw new Error(`tokens say "${tokens}"`);
        const cost = (await detail.getByTestId('job-cost').innerText()).trim();
        if (!/^\$\d/.test(cost)) throw new Error(`cost says "${cost}"`);
        // the usage ledger reads the job's own Claude Code log (poll_seconds = 5) and the record shows what its
        // session cost; the list refresh (every 5 s) brings it to the open detail
        const ledgerCell = detail.getByTestId('job-ledger-cost');
        await ledgerCell.filter({ hasText: /\d responses/ }).waitFor({ timeout: 45_000 });
        const ledger = (await ledgerCell.innerText()).trim();
        const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
        await page.screenshot({ path: join(out, 'job-done.png'), fullPage: true });
        return `job ${id} (claude) waited for you; Approve ran "sh -c 'touch approved-in-browser.txt'", Deny kept `
          + `denied-in-browser.txt from being made${forged}; the live events show both answers; row `
          + `[${cells.join(' | ').slice(0, 160)}], files "${files}", code-running files "added ${hook}", tokens `
          + `"${tokens}", cost ${cost}, ledger "${ledger}" `
          + `(target/dashboard/job-waiting.png, job-done.png)`;
      });
    }

    // ---- hosts: .ci/dashboard wrote a second host's usage (buildbox) into the hub's store with `tandem usage` ----
    const otherHost = process.env.OTHER_HOST;
    if (otherHost && process.env.OTHER_HOST_USAGE) {
      await check('host picker', async () => {
        const read = spawnSync(process.env.OTHER_HOST_USAGE, [], { encoding: 'utf8', timeout: 120_000 });
        writeFileSync(join(out, 'usage-buildbox.out'), `${read.stdout}\n${read.stderr}`);
        if (read.status !== 0) throw new Error(`tandem usage as ${otherHost} exited ${read.status} (target/dashboard/usage-buildbox.out)`);
        const picker = page.getByTestId('host-picker');
        // its logs are yesterday's: the 7-day window shows them
        const week = page.waitForResponse((r) => r.url().includes('/api/overview?hours=168'));
        await page.locator('#window-picker button[data-hours="168"]').click();
        const overview = await (await week).json();
        await drawn(page, ['usage-section', 'tools-panel'], '', 168);
        await page.getByTestId('host-picker-wrap').waitFor({ state: 'visible', timeout: 10_000 });
        const options = await picker.locator('option').allInnerTexts();
        if (!options.includes('All hosts') || !options.includes(otherHost) || options.length < 3) {
          throw new Error(`the host picker offers ${options.join(', ')}`);
        }
        const row = (name) => page.locator(`#hosts-table tr[data-host="${name}"] td`);
        const other = await row(otherHost).allInnerTexts();
        // buildbox read a Codex 0.171 rollout ($0.011) and a Claude Code 2.1.332 log (unpriced): 8 responses
        if (other[4] !== '8' || other[6] !== '$0.0110') throw new Error(`the ${otherHost} row reads [${other.join(' | ')}]`);
        const total = await row('All hosts').allInnerTexts();
        const own = options.find((o) => o.endsWith('(this hub)')) || '';
        const self = own.replace(/ \(this hub\)$/, '');
        const mine = await row(self).allInnerTexts();
        const ownJobs = (overview.hosts || []).find((h) => h.host === self)?.jobs;
        if (mine[3] !== String(ownJobs) || (jobsScript && !(ownJobs >= 1))) {
          throw new Error(`the ${self} row reads [${mine.join(' | ')}], /api/overview says ${JSON.stringify(overview.hosts)}`);
        }
        const sum = (i) => Number(other[i].replace(/,/g, '')) + Number(mine[i].replace(/,/g, ''));
        if (Number(total[4].replace(/,/g, '')) !== sum(4) || Number(total[1].replace(/,/g, '')) !== sum(1)) {
          throw new Error(`All hosts [${total.join(' | ')}] is not ${self} [${mine.join(' | ')}] + ${otherHost}`);
        }
        await page.getByTestId('hosts-panel').screenshot({ path: join(out, 'hosts.png') });
        // A quick change of host whose first answers land last: the person picks this hub's host, then buildbox
        // before the page has its answers. The hub's answers for the first choice are held here until buildbox's
        // are drawn, then let through; the page must drop them, not draw them over buildbox's figures.
        const narrowed = ['usage-section', 'jobs-panel', 'tools-panel'];
        const stale = (url) => ['/api/usage', '/api/jobs', '/api/overview'].includes(url.pathname)
          && url.searchParams.get('host') === self;
        const held = [];
        let allHeld;
        const heldThree = new Promise((resolve) => { allHeld = resolve; });
        await page.route(stale, (route) => {
          held.push(route);
          if (new Set(held.map((r) => new URL(r.request().url()).pathname)).size === 3) allHeld();
        });
        let codexCost;
        let late = '';
        let closed = '';
        // a job of this hub open in the detail pane: it ran here, so choosing another host closes it
        const jobRow = page.locator('[data-testid=job-row]').first();
        const jobDetail = page.getByTestId('job-detail');
        const jobOpen = (await jobRow.count()) > 0;
        if (jobOpen) {
          await jobRow.click();
          await jobDetail.waitFor({ state: 'visible', timeout: 10_000 });
        }
        try {
          await picker.selectOption(self);
          const asked = () => held.map((r) => r.request().url()).join(', ') || 'nothing';
          let timer;
          await Promise.race([heldThree, new Promise((_, no) => {
            timer = setTimeout(() => no(new Error(`in 30 s choosing ${self} asked for ${asked()}`)), 30_000);
          })]).finally(() => clearTimeout(timer));
          await picker.selectOption(otherHost);
          await drawn(page, narrowed, otherHost, 168, { busy: true }); // the held answers are still out
          const through = held.map((r) => r.request().response());
          await Promise.all(held.map((r) => r.continue()));
          await Promise.all(through); // the first choice's answers reached the page...
          for (const id of narrowed) { // ...and it is done with them: nothing of these sections is out any more
            const box = page.getByTestId(id);
            await page.locator(`[data-testid=${id}][aria-busy=false]`).waitFor({ state: 'attached', timeout: 30_000 });
            const shows = await box.getAttribute('data-host');
            if (shows !== otherHost) {
              throw new Error(`${otherHost} was chosen last, yet the ${id} shows ${shows || 'All hosts'} (the answer for `
                + `${self}, chosen before, landed last and was drawn)`);
            }
          }
          late = `; the answers for ${self}, chosen just before, landed last (${held.length} held back) and were dropped`;
          if (jobOpen) {
            if (await jobDetail.isVisible()) throw new Error(`${otherHost} was chosen, yet the detail of a job of ${self} stays open`);
            closed = `; the open job's detail closed`;
          }
          if (new URL(page.url()).searchParams.get('host') !== otherHost) throw new Error(`the URL is ${page.url()}`);
          codexCost = await page.locator('[data-testid=usage-card][data-engine=codex] [data-testid=usage-cost]').innerText();
          if (!/^\$0\.0110?$/.test(codexCost)) throw new Error(`with ${otherHost} chosen the codex usage card says ${codexCost}`);
          const jobs = await page.locator('#jobs-table tbody tr').count();
          if (jobs !== 0) throw new Error(`${otherHost} ran no job, yet the jobs table lists ${jobs}`);
          const tools = await page.locator('[data-testid=tool-row]').count();
          if (tools !== 0) throw new Error(`${otherHost} made no request, yet the tools table lists ${tools} rows`);
          await page.screenshot({ path: join(out, 'host-chosen.png'), fullPage: true });
        } finally {
          // back to the fleet's totals and today, whatever happened: the checks after this one expect them
          await page.unroute(stale);
          await Promise.all(held.map((r) => r.continue().catch(() => {}))); // (already let through: refused)
          await picker.selectOption('');
          await drawn(page, narrowed, '', 168);
          await page.locator('#window-picker button[data-hours="24"]').click();
          await drawn(page, ['usage-section', 'tools-panel'], '', 24);
        }
        const back = await page.locator('[data-testid=usage-card][data-engine=codex] [data-testid=usage-cost]').innerText();
        if (new URL(page.url()).searchParams.has('host')) throw new Error(`All hosts left ${page.url()}`);
        return `host picker offers ${options.join(', ')}; hosts table: ${otherHost} [${other.join(' | ')}], ${self} `
          + `[${mine.join(' | ')}], All hosts [${total.join(' | ')}]; choosing ${otherHost} narrows the usage (codex `
          + `${codexCost}), jobs (0) and tools (0) and sets ?host=${late}${closed}; All hosts again: codex ${back} `
          + `(target/dashboard/hosts.png, host-chosen.png)`;
      });
    }

    if (found) {
      await check('memory delete', async () => {
        const item = page.locator(`[data-testid=memory-item][data-id="${memoryId}"]`);
        await item.getByTestId('memory-delete').click();
        const confirm = item.getByTestId('memory-delete-confirm');
        await confirm.waitFor({ timeout: 5000 });
        if (await page.locator(`[data-testid=memory-item][data-id="${memoryId}"]`).count() !== 1) {
          throw new Error('the first click already removed the memory (no confirm step)');
        }
        const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes(memoryId));
        await confirm.click();
        const res = await deleted;
        if (res.status() !== 200) throw new Error(`DELETE answered ${res.status()}: ${(await res.text()).slice(0, 200)}`);
        await item.waitFor({ state: 'detached', timeout: 10_000 });
        const status = await page.locator('#memory-status').innerText();
        await page.screenshot({ path: join(out, 'after-delete.png'), fullPage: true });
        return `Delete → confirm → DELETE /api/memories/${memoryId} 200; the item left the list; page says "${status}" (target/dashboard/after-delete.png)`;
      });

      await check('memory gone over MCP', async () => {
        const search = await tool('memory_search', { query: marker });
        const hits = search.structuredContent?.hits || [];
        if (search.isError || hits.some((h) => h.id === memoryId)) {
          throw new Error(`memory_search ${marker} still finds it: ${JSON.stringify(search).slice(0, 300)}`);
        }
        const retrieve = await tool('memory_retrieve', { id: memoryId });
        if (!retrieve.isError) throw new Error(`memory_retrieve ${memoryId} still answers ${JSON.stringify(retrieve).slice(0, 300)}`);
        const why = (retrieve.content || []).map((c) => c.text).join(' ');
        return `over MCP: memory_search "${marker}" finds ${hits.length} hits; memory_retrieve ${memoryId} is an error: "${why.slice(0, 100)}"`;
      });
    }
  }

  if (loggedIn) {
    await check('log out', async () => {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/logout'));
      await page.getByTestId('logout').click();
      const res = await answered;
      if (res.status() !== 200) throw new Error(`POST /api/logout answered ${res.status()}: ${(await res.text()).slice(0, 200)}`);
      const banner = page.getByTestId('banner');
      await banner.waitFor({ timeout: 5000 });
      const text = (await banner.innerText()).replace(/\s+/g, ' ');
      if (!text.includes('tandem dashboard')) throw new Error(`after logging out the page says "${text}"`);
      await page.screenshot({ path: join(out, 'logged-out.png') });
      const again = await page.reload();
      if (again.status() !== 401) throw new Error(`/dashboard after logging out answered ${again.status()}`);
      return `Log out → POST /api/logout 200, the page says "${text.slice(0, 60)}…"; reloading /dashboard answers 401`;
    });
  }

  await check('no cookie, 401', async () => {
    const fresh = await browser.newContext();
    try {
      const p = await fresh.newPage();
      const res = await p.goto(`${base}/dashboard`);
      const text = (await p.innerText('body')).replace(/\s+/g, ' ');
      if (res.status() !== 401) throw new Error(`/dashboard without the cookie answered ${res.status()}`);
      if (!text.includes('tandem dashboard')) throw new Error(`the 401 page does not name tandem dashboard: ${text.slice(0, 200)}`);
      // the sign-in page is styled by app.css (served without the cookie), light and dark, and fits a phone
      const styled = await p.evaluate(() => {
        const box = document.querySelector('[data-testid=signin]');
        return box ? getComputedStyle(box).borderTopLeftRadius : 'no sign-in box';
      });
      if (styled !== '12px') throw new Error(`the sign-in page is not styled (its box has radius ${styled})`);
      await p.screenshot({ path: join(out, 'signin-light.png') });
      await p.emulateMedia({ colorScheme: 'dark' });
      await p.setViewportSize({ width: 390, height: 760 });
      const scroll = await p.evaluate(() => document.documentElement.scrollWidth);
      if (scroll > 390) throw new Error(`the sign-in page is ${scroll} px wide at 390 px`);
      await p.screenshot({ path: join(out, 'signin-390-dark.png') });
      const api = await p.request.get(`${base}/api/overview`);
      if (api.status() !== 401) throw new Error(`/api/overview without the cookie answered ${api.status()}`);
      const jobs = await p.request.get(`${base}/api/jobs`);
      if (jobs.status() !== 401) throw new Error(`/api/jobs without the cookie answered ${jobs.status()}`);
      let reused = 'not tried';
      if (loginUrl) {
        const again = await p.goto(loginUrl);
        if (again.status() !== 401) throw new Error(`the used login URL answered ${again.status()} a second time`);
        reused = '401';
      }
      return `a fresh browser context: /dashboard 401, a styled sign-in page ("${text.slice(0, 70)}…"; target/dashboard/signin-light.png, signin-390-dark.png), /api/overview 401, /api/jobs 401, the used login URL again ${reused}`;
    } finally {
      await fresh.close();
    }
  });

  if (problems.length) fail(`the page: ${[...new Set(problems)].slice(0, 5).join('; ')}`);
  else pass('the page: no script errors, no CSP violations, no request to another origin');
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
