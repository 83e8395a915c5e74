// The dashboard in a real browser (run by .ci/dashboard, which starts the hub): makes MCP tool calls as Claude Code,
// gets a one-time login URL from `tandem dashboard`, then in headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core) logs in, finds those calls in the tools table, searches the stored memory, deletes it through
// the page and checks over MCP that it is gone; starts a Claude Code job over MCP and answers its approval requests
// with the Jobs view's Approve and Deny buttons (JOBS_SCRIPT: the mock model's script file, JOBS_ROOT: the hub's
// root); a browser without the cookie gets 401.
//
// Usage: node .ci/dashboard.mjs HUB_BASE_URL TOKEN_FILE OUT_DIR -- LOGIN_COMMAND...
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
const token = readFileSync(tokenFile, 'utf8').trim();
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
  if (!missing.isError) throw new Error(`memory_retrieve nosuchmemory did not fail: ${JSON.stringify(missing).slice(0, 300)}`);
  return `MCP as claude-code (hub ${init.serverInfo?.name} ${init.serverInfo?.version}): memory_store stored ${memoryId} with marker ${marker}; hub_info answered; memory_retrieve nosuchmemory failed as a tool error`;
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
      const card = page.locator('[data-testid=engine-card][data-engine=claude]');
      const cardText = (await card.innerText()).replace(/\s+/g, ' ');
      await page.screenshot({ path: join(out, 'overview.png'), fullPage: true });
      const widths = [];
      for (const width of [1280, 800]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(100); // the charts redraw for the new width on the next frame
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width) throw new Error(`at ${width} px the page is ${scroll} px wide (scrolls sideways)`);
        widths.push(`${width} px fits`);
        if (width === 800) await page.screenshot({ path: join(out, 'overview-800.png'), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      return `tools table has the row [${cells.join(' | ')}] and a hub_info row for engine claude; recent errors: "${errorText}"; claude card: "${cardText.slice(0, 80)}"; ${widths.join(', ')} (target/dashboard/overview.png, overview-800.png)`;
    });

    // .ci/dashboard ran `tandem sync check-sync` on the hub's empty home first: drift, exit code 1.
    await check('check-sync status', async () => {
      const sync = page.getByTestId('sync-status');
      const state = await sync.getAttribute('data-state');
      const text = (await sync.innerText()).replace(/\s+/g, ' ');
      if (state !== 'drift' || !/Drifted/.test(text) || !/Exit code 1\b/.test(text)) {
        throw new Error(`the check-sync panel is in state ${state}: "${text.slice(0, 200)}"`);
      }
      return `the check-sync panel shows the record tandem sync check-sync left: "${text.slice(0, 110)}…"`;
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
        const tokens = (await detail.getByTestId('job-tokens').innerText()).trim();
        if (!/^[1-9]\d* in .* [1-9]\d* out/.test(tokens)) throw new Error(`tokens say "${tokens}"`);
        const cost = (await detail.getByTestId('job-cost').innerText()).trim();
        if (!/^\$\d/.test(cost)) throw new Error(`cost says "${cost}"`);
        const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
        await page.screenshot({ path: join(out, 'job-done.png'), fullPage: true });
        return `job ${id} (claude) waited for you; Approve ran "sh -c 'touch approved-in-browser.txt'", Deny kept `
          + `denied-in-browser.txt from being made${forged}; the live events show both answers; row `
          + `[${cells.join(' | ').slice(0, 160)}], files "${files}", tokens "${tokens}", cost ${cost} `
          + `(target/dashboard/job-waiting.png, job-done.png)`;
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
      return `a fresh browser context: /dashboard 401 ("${text.slice(0, 70)}…"), /api/overview 401, /api/jobs 401, the used login URL again ${reused}`;
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
