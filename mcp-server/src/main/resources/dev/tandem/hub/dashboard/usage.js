// The Usage view: /api/usage (docs/usage.md) drawn as budget chips, one card per engine, the daily cost stacked by
// engine and model with the daily budgets as lines, tokens by kind, the rate-limit windows and the costliest sessions
// with the hub tools they called; under the cards, the responses left out as damaged log lines. Same rules as app.js: DOM built with createElement only, no inline style.

const ENGINES = ['claude', 'codex'];
const LABELS = { claude: 'Claude Code', codex: 'Codex CLI' };
const SHADES = 4;
let lastDaily = null;

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdFine = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** Dollars: cents from $1 up, up to four decimals below (a cheap day should not read $0.00). */
function money(n, unpriced) {
  const text = (n > 0 && n < 1 ? usdFine : usd).format(n || 0);
  return unpriced ? `${text}*` : text;
}

/** The engine's colour class, as app.js gives it (claude eng-0, codex eng-1). */
function engineClass(engine) {
  const i = ['claude', 'codex', 'other'].indexOf(engine);
  return `eng-${i >= 0 ? i : 3}`;
}

/** The API path of the view for the last `days` days of one host ('' = every host). */
export function usagePath(days, host) {
  return `/api/usage?days=${days}${host ? `&host=${encodeURIComponent(host)}` : ''}`;
}

/**
 * Draws the view for the last `days` days from /api/usage's answer `u` (app.js asks for it, and drops an answer of a
 * host or window no longer chosen). `ui` carries app.js's helpers: el, svg, clear, fmtInt, timeAgo, onHosts.
 */
export function drawUsage(ui, u, days) {
  ui.onHosts(u.hosts || {});
  const daily = u.daily || {};
  lastDaily = daily;
  const hint = [`last ${days === 1 ? 'day (today)' : `${days} days`}`, `days in ${daily.timezone || '?'}`,
    `prices as of ${daily.pricesAsOf || '?'}`,
    daily.scannedAt ? `logs read ${new Date(daily.scannedAt).toLocaleTimeString()}` : 'logs not read yet'];
  ui.$('usage-hint').textContent = hint.join(' · ');
  renderBudgets(ui, daily.budgets || []);
  renderCards(ui, daily);
  renderChart(ui, daily);
  renderTokens(ui, daily);
  renderWindows(ui, (u.blocks || {}).windows || []);
  renderSessions(ui, (u.sessions || {}).rows || [], u.jobs || []);
  renderJobs(ui, u.jobs || []);
  ui.$('usage-empty').hidden = (daily.rows || []).length > 0;
}

/** Draws the chart again for the box's new width. */
export function redrawUsageChart(ui) {
  if (lastDaily) renderChart(ui, lastDaily);
}

function renderBudgets(ui, budgets) {
  const box = ui.clear(ui.$('usage-budgets'));
  for (const b of budgets) {
    const who = b.engine === 'all' ? 'All engines' : LABELS[b.engine] || b.engine;
    box.append(ui.el('li', { class: `budget ${b.level}`, 'data-testid': 'budget-status', 'data-level': b.level,
      'data-engine': b.engine, 'data-period': b.period },
    ui.el('strong', null, `${who}, ${b.period === 'day' ? 'today' : 'this month'}: `),
    `${money(b.spentUSD)} of ${money(b.limitUSD)} (${b.percent}%)`,
    b.level === 'ok' ? null : ui.el('span', { class: 'level' }, b.level === 'over' ? ' over budget' : ' 80% reached')));
  }
  box.hidden = budgets.length === 0;
}

function renderCards(ui, daily) {
  const box = ui.clear(ui.$('usage-cards'));
  const engines = (daily.totals || {}).engines || {};
  for (const name of ENGINES) {
    if (daily.engine && daily.engine !== 'all' && daily.engine !== name) continue;
    const a = engines[name] || { costUSD: 0, totalTokens: 0, responses: 0, unpricedResponses: 0 };
    box.append(ui.el('article', { class: `card ${engineClass(name)}`, 'data-testid': 'usage-card', 'data-engine': name },
      ui.el('header', null, ui.el('span', { class: `dot ${engineClass(name)}`, 'aria-hidden': 'true' }),
        ui.el('h3', null, LABELS[name]), ui.el('span', { class: 'engine-id' }, name)),
      ui.el('p', { class: 'big', 'data-testid': 'usage-cost' }, money(a.costUSD, a.unpricedResponses > 0)),
      ui.el('p', { class: 'errors' }, `${ui.fmtInt(a.totalTokens)} tokens in ${ui.fmtInt(a.responses)} responses`),
      a.unpricedResponses > 0
        ? ui.el('p', { class: 'sub' }, `* ${ui.fmtInt(a.unpricedResponses)} responses of models without a price`)
        : null));
  }
  const unpriced = daily.unpricedModels || [];
  if (unpriced.length) {
    box.append(ui.el('p', { class: 'sub unpriced', 'data-testid': 'usage-unpriced' },
      `No price for: ${unpriced.join(', ')} (add them under [usage.prices] in hub.toml).`));
  }
  // responses the logs name but whose lines give a token count or model name no response has: in no card or bar
  const damaged = Number(daily.damagedResponses) || 0;
  if (damaged > 0) {
    box.append(ui.el('p', { class: 'sub warn damaged', 'data-testid': 'usage-damaged', 'data-count': damaged },
      `! ${ui.fmtInt(damaged)} damaged ${damaged === 1 ? 'response' : 'responses'} not priced: `
        + 'log lines give a token count or model name no response has; see docs/usage.md#damaged-lines '
        + '(the warning of the read that found them names each file and byte).'));
  }
}

/** Days from the report's start to its end, each with its engine/model segments. */
function dayRows(daily) {
  const byDay = new Map((daily.rows || []).map((r) => [r.key, r]));
  const out = [];
  if (daily.since && daily.until) {
    for (let d = new Date(`${daily.since}T00:00:00Z`); d <= new Date(`${daily.until}T00:00:00Z`);
      d = new Date(d.getTime() + 86_400_000)) {
      const key = d.toISOString().slice(0, 10);
      out.push({ key, row: byDay.get(key) });
    }
  } else {
    for (const r of daily.rows || []) out.push({ key: r.key, row: r });
  }
  return out;
}

function renderChart(ui, daily) {
  const box = ui.clear(ui.$('usage-chart'));
  const days = dayRows(daily);
  const budgets = (daily.budgets || []).filter((b) => b.period === 'day');
  const shades = new Map(); // engine/model -> shade index
  for (const e of ENGINES) {
    const models = Object.keys((((daily.totals || {}).engines || {})[e] || {}).models || {}).sort();
    models.forEach((m, i) => shades.set(`${e}/${m}`, i % SHADES));
  }
  let max = 0;
  for (const d of days) max = Math.max(max, d.row ? d.row.total.costUSD : 0);
  for (const b of budgets) max = Math.max(max, b.limitUSD);
  if (max === 0) {
    box.append(ui.el('p', { class: 'empty chart-empty' }, 'No cost in this window.'));
    return;
  }
  const width = Math.max(280, Math.floor(box.clientWidth || 560));
  const height = 210;
  const m = { left: 56, right: 10, top: 10, bottom: 26 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const top = niceTop(max);
  const y = (v) => m.top + ph - (v / top) * ph;
  const bw = pw / Math.max(1, days.length);
  const chart = ui.svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img',
    'aria-label': 'Daily cost per engine and model' });
  const grid = ui.svg('g', { class: 'gridlines' });
  for (let i = 0; i <= 4; i++) {
    const v = (top / 4) * i;
    grid.append(ui.svg('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v) }));
    grid.append(ui.svg('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, money(v)));
  }
  chart.append(grid);
  const marks = ui.svg('g', { class: 'marks' });
  const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(pw / 70))));
  days.forEach((d, i) => {
    const x = m.left + i * bw;
    const gap = bw > 6 ? Math.min(4, bw * 0.2) : 0.5;
    let base = 0;
    const lines = [d.key];
    for (const e of ENGINES) {
      const eng = d.row && d.row.engines[e];
      if (!eng) continue;
      lines.push(`${LABELS[e]}: ${money(eng.costUSD, eng.unpricedResponses > 0)}`);
      for (const [model, a] of Object.entries(eng.models || {}).sort()) {
        if (!a.costUSD) continue;
        marks.append(ui.svg('rect', { class: `bar ${engineClass(e)} shade-${shades.get(`${e}/${model}`) || 0}`,
          'data-testid': 'usage-bar', 'data-date': d.key, 'data-engine': e, 'data-model': model,
          x: (x + gap / 2).toFixed(2), y: y(base + a.costUSD).toFixed(2), width: Math.max(0.5, bw - gap).toFixed(2),
          height: Math.max(0.5, y(base) - y(base + a.costUSD)).toFixed(2) },
        ui.svg('title', null, `${d.key} · ${LABELS[e]} · ${model}: ${money(a.costUSD)}`)));
        base += a.costUSD;
        lines.push(`  ${model}: ${money(a.costUSD)}`);
      }
    }
    if (i % labelEvery === 0) {
      marks.append(ui.svg('text', { x: x + bw / 2, y: height - 8, 'text-anchor': 'middle', class: 'tick' }, d.key.slice(5)));
    }
  });
  chart.append(marks);
  for (const b of budgets) {
    const who = b.engine === 'all' ? 'all engines' : LABELS[b.engine] || b.engine;
    chart.append(ui.svg('line', { class: `budget-line ${b.engine === 'all' ? '' : engineClass(b.engine)}`,
      'data-testid': 'budget-line', 'data-engine': b.engine, x1: m.left, x2: width - m.right, y1: y(b.limitUSD),
      y2: y(b.limitUSD) }, ui.svg('title', null, `daily budget, ${who}: ${money(b.limitUSD)}`)));
  }
  chart.append(ui.svg('line', { x1: m.left, x2: width - m.right, y1: m.top + ph, y2: m.top + ph, class: 'baseline' }));
  const legend = ui.el('ul', { class: 'legend' });
  for (const [key, shade] of shades) {
    const [e, model] = key.split('/');
    legend.append(ui.el('li', null, ui.el('span', { class: `swatch ${engineClass(e)} shade-${shade}`, 'aria-hidden': 'true' }),
      `${e} · ${model}`));
  }
  if (budgets.length) legend.append(ui.el('li', null, ui.el('span', { class: 'swatch budget', 'aria-hidden': 'true' }), 'daily budget'));
  box.append(legend, chart);
}

function niceTop(max) {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  return step * 4 >= max ? step * 4 : step * 5;
}

function renderTokens(ui, daily) {
  const body = ui.clear(ui.$('usage-tokens').tBodies[0]);
  const engines = (daily.totals || {}).engines || {};
  for (const [name, a] of Object.entries(engines)) {
    body.append(ui.el('tr', { 'data-testid': 'usage-token-row', 'data-engine': name },
      ui.el('td', null, ui.el('span', { class: `badge engine ${engineClass(name)}` }, name)),
      ...[a.inputTokens, a.outputTokens, a.reasoningTokens, a.cacheWriteTokens, a.cacheReadTokens, a.totalTokens]
        .map((n) => ui.el('td', { class: 'num' }, ui.fmtInt(n)))));
  }
}

function renderWindows(ui, windows) {
  const body = ui.clear(ui.$('usage-windows').tBodies[0]);
  for (const w of windows) {
    const length = w.windowMinutes % 1440 === 0 ? `${w.windowMinutes / 1440}-day` : `${w.windowMinutes / 60}-hour`;
    const used = w.usedPercent === null || w.usedPercent === undefined
      ? ui.el('span', { class: 'muted', title: 'Claude Code logs no rate-limit figures' }, 'not logged')
      : ui.el('span', { class: 'meter' },
        ui.el('meter', { min: 0, max: 100, value: w.usedPercent, low: 80, high: 95, optimum: 0 }),
        ` ${w.usedPercent}%`);
    const what = w.source === 'log' ? `${length} (${w.name})` : w.source === 'block' ? `${length} (current block)` : `${length} (rolling)`;
    body.append(ui.el('tr', { 'data-testid': 'usage-window-row', 'data-engine': w.engine, 'data-name': w.name,
      'data-used': w.usedPercent ?? '' },
    ui.el('td', null, ui.el('span', { class: `badge engine ${engineClass(w.engine)}` }, w.engine)),
    ui.el('td', null, what),
    ui.el('td', null, used),
    ui.el('td', null, w.resetsAt ? new Date(w.resetsAt).toLocaleString() : '—'),
    ui.el('td', { class: 'num' }, money(w.costUSD, w.unpricedResponses > 0))));
  }
}

function renderSessions(ui, rows, jobs) {
  const body = ui.clear(ui.$('usage-sessions').tBodies[0]);
  const jobOf = new Map(jobs.map((j) => [`${j.engine}:${j.session}`, j.id]));
  for (const r of rows) {
    const job = jobOf.get(`${r.engine}:${r.session}`);
    const tools = (r.hubCalls || []).map((h) => `${h.tool} ×${h.calls}${h.errors ? ` (${h.errors} failed)` : ''}`).join(', ');
    body.append(ui.el('tr', { 'data-testid': 'usage-session-row', 'data-engine': r.engine, 'data-session': r.session },
      ui.el('td', null, r.lastActivity ? ui.timeAgo(r.lastActivity) : '—'),
      ui.el('td', null, ui.el('span', { class: `badge engine ${engineClass(r.engine)}` }, r.engine)),
      ui.el('td', null, ui.el('code', { class: 'target', title: r.session }, r.session ? r.session.slice(0, 8) : 'not tied to a session'),
        job ? ui.el('span', { class: 'muted', 'data-testid': 'usage-session-job' }, ` job ${job}`) : ''),
      ui.el('td', null, ui.el('code', { class: 'target' }, r.project || '—')),
      ui.el('td', { class: 'num' }, ui.fmtInt(r.total.responses)),
      ui.el('td', { class: 'num' }, ui.fmtInt(r.total.totalTokens)),
      ui.el('td', { class: 'num' }, money(r.total.costUSD, r.total.unpricedResponses > 0)),
      ui.el('td', { 'data-testid': 'usage-session-tools' }, tools || ui.el('span', { class: 'muted' }, 'none'))));
  }
}

/** The jobs of the range whose sessions the ledger has read, with what those sessions cost (person only). */
function renderJobs(ui, jobs) {
  const body = ui.clear(ui.$('usage-jobs').tBodies[0]);
  for (const j of jobs) {
    body.append(ui.el('tr', { 'data-testid': 'usage-job-row', 'data-job': j.id },
      ui.el('td', null, ui.el('code', null, j.id)),
      ui.el('td', null, ui.el('span', { class: `badge engine ${engineClass(j.engine)}` }, j.engine)),
      ui.el('td', null, j.status),
      ui.el('td', null, ui.el('code', { class: 'target', title: j.session }, j.session.slice(0, 8))),
      ui.el('td', { class: 'num' }, ui.fmtInt(j.ledger.responses)),
      ui.el('td', { class: 'num' }, ui.fmtInt(j.ledger.totalTokens)),
      ui.el('td', { class: 'num' }, money(j.ledger.costUSD, j.ledger.unpricedResponses > 0))));
  }
}
