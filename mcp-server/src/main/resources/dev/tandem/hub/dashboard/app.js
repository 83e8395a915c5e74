// The hub dashboard: reads the hub's /api/ (docs/telemetry.md) and draws it. No framework, no build step, no
// inline script or style (the page's CSP forbids both): the DOM is built with createElement, never innerHTML,
// so nothing a memory or a client name contains can run as markup.

import { drawUsage, redrawUsageChart, usagePath } from './usage.js';
import { loadFleet } from './fleet.js';

const WINDOWS = [1, 24, 168, 720];
const AUTO_REFRESH_MS = 60_000;
const MEMORY_PAGE = 50;
const MEMORY_MAX = 500; // the API's largest limit
const ERROR_LIMIT = 50;
const PREVIEW_CHARS = 320;
const MAX_SYNC_FILES = 6;
const ENGINE_ORDER = ['claude', 'codex', 'other'];
const ENGINE_LABELS = { claude: 'Claude Code', codex: 'Codex CLI', other: 'Other clients' };
const JOBS_LIMIT = 50;
const JOBS_POLL_MS = 5_000;
const JOB_WAIT_SECONDS = 20;
const ACTIVE = ['queued', 'running', 'waiting'];

const state = {
  hours: initialHours(),
  host: new URLSearchParams(location.search).get('host') || '', // '' = every host: the fleet's totals
  hostRows: new Map(), // host -> {calls, errors, jobs} from the overview
  hostUsage: null, // the usage report's rows, host by host
  view: 0, // bumped whenever another host or window is chosen: answers asked for an earlier one are dropped
  query: '',
  memoryLimit: MEMORY_PAGE,
  overview: null,
  loggedOut: false,
  timer: 0,
  jobs: [],
  jobsOff: false, // the hub runs without jobs
  jobId: null, // the job whose detail is open
  follow: 0, // bumped to stop the current event follower
};

// ---- small DOM helpers --------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

/** Builds an element: el('td', {class: 'num'}, 'text', childNode). Attributes with null/false are skipped. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, ...children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, ...children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(node, ...children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function clear(node) {
  node.replaceChildren();
  return node;
}

// ---- formatting ---------------------------------------------------------------------------------------------

const intFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const pctFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

function fmtInt(n) {
  return intFormat.format(n || 0);
}

/** Formats milliseconds for people: 0.42 ms, 3.1 ms, 120 ms, 1.25 s. */
function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

function fmtBytes(n) {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${fmtInt(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function fmtAbsolute(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso || '');
  return d.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** "just now", "5 min ago", "3 h ago", else the date. */
function fmtAgo(iso) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '—';
  const s = (Date.now() - t) / 1000;
  if (s < 45) return 'just now';
  if (s < 90 * 60) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  if (s < 14 * 86400) return `${Math.round(s / 86400)} days ago`;
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A <time> element that reads "5 min ago" and shows the exact time on hover. */
function timeAgo(iso) {
  return el('time', { datetime: iso, title: fmtAbsolute(iso) }, fmtAgo(iso));
}

function windowLabel(hours) {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} h`;
}

function engineLabel(engine) {
  return ENGINE_LABELS[engine] || engine;
}

/** The colour class of an engine: fixed for the known ones, by order for any other. */
function engineClass(engine) {
  const i = ENGINE_ORDER.indexOf(engine);
  return `eng-${i >= 0 ? i : 3}`;
}

function engineBadge(engine) {
  return el('span', { class: `badge engine ${engineClass(engine)}` }, engine || '?');
}

function sortEngines(names) {
  return [...new Set(names)].sort((a, b) => {
    const ia = ENGINE_ORDER.indexOf(a);
    const ib = ENGINE_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
}

// ---- the API --------------------------------------------------------------------------------------------------

class AuthError extends Error {}
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, options = {}) {
  let res;
  try {
    res = await fetch(path, {
      ...options,
      // The hub checks Origin on state-changing calls; a "no-referrer" policy would make the browser send
      // "Origin: null" for them, so these requests say outright to keep the origin (the hub's own header,
      // "same-origin", keeps it too).
      referrerPolicy: 'strict-origin',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json', ...(options.headers || {}) },
    });
  } catch (e) {
    throw new ApiError(0, `the hub did not answer (${e.message}); is it still running?`);
  }
  if (res.status === 401) throw new AuthError('unauthorized');
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const detail = body && (body.message || body.error);
    throw new ApiError(res.status, `${path.split('?')[0]} answered ${res.status}${detail ? `: ${detail}` : ''}`);
  }
  return body || {};
}

// ---- banner and login state -------------------------------------------------------------------------------------

function showBanner(kind, ...children) {
  const b = $('banner');
  b.className = `banner ${kind}`;
  clear(b);
  append(b, ...children);
  b.hidden = false;
}

function hideBanner() {
  $('banner').hidden = true;
}

function showLoggedOut(reason) {
  state.loggedOut = true;
  clearInterval(state.timer);
  $('content').hidden = true;
  document.querySelector('.controls').hidden = true;
  showBanner(
    'auth',
    el('strong', null, reason),
    ' To open the dashboard, run ',
    el('code', null, 'tandem dashboard'),
    ' in a terminal on this machine and open the one-time link it prints (it works once, for a minute).',
  );
}

/** Runs a loader; a 401 is thrown on (the page logs out), any other failure is added to `failures`. */
async function guarded(name, loader, failures) {
  try {
    await loader();
  } catch (e) {
    if (e instanceof AuthError) throw e;
    failures.push(`${name}: ${e.message}`);
  }
}

// ---- sections: each draws the answer of the host and window on screen, never a superseded one -------------------

const loads = new Map(); // section id -> {asked, drawn, out}: requests made, the newest drawn, those not yet back

/**
 * Asks `path` for the sections `ids` and hands the answer to `draw`, unless by the time it lands the person has chosen
 * another host or window (the answer is of a view no longer on screen), or a later answer for these sections has
 * been drawn already: answers can land out of order (a quick change of host, an automatic refresh beside a click),
 * and a slow one must not draw over a newer one. A dropped request's failure is dropped too, a 401 excepted (the
 * session is over whatever the view). While any of its requests is out a section says aria-busy="true"; a drawn
 * answer leaves on it data-host (the host it shows, '' for all) and data-hours (the window).
 */
async function loadSections(ids, path, draw) {
  const key = ids.join(' ');
  const s = loads.get(key) || { asked: 0, drawn: 0, out: 0 };
  loads.set(key, s);
  const ticket = ++s.asked;
  const view = { n: state.view, host: state.host, hours: state.hours };
  const current = () => view.n === state.view && ticket > s.drawn;
  const boxes = ids.map($);
  s.out += 1;
  for (const b of boxes) b.setAttribute('aria-busy', 'true');
  try {
    let answer;
    try {
      answer = await api(path);
    } catch (e) {
      if (e instanceof AuthError || current()) throw e;
      return;
    }
    if (!current()) return;
    s.drawn = ticket;
    draw(answer);
    for (const b of boxes) {
      b.dataset.host = view.host;
      b.dataset.hours = String(view.hours);
    }
  } finally {
    s.out -= 1;
    if (s.out === 0) for (const b of boxes) b.setAttribute('aria-busy', 'false');
  }
}

// ---- overview: engine cards and charts --------------------------------------------------------------------------

function loadOverview() {
  return loadSections(['engines-section', 'calls-panel', 'latency-panel', 'tools-panel'],
    `/api/overview?hours=${state.hours}${hostParam()}`, drawOverview);
}

function drawOverview(o) {
  state.overview = o;
  state.hostRows = new Map((o.hosts || []).map((h) => [h.host, h]));
  renderHosts();
  renderEngineCards(o);
  renderCharts();
  renderTools(o.tools || []);
  const parts = [
    `Last ${windowLabel(o.hours || state.hours)}`,
    `${o.bucketMinutes >= 1440 ? 'daily' : `${o.bucketMinutes}-minute`} buckets`,
    `updated ${new Date().toLocaleTimeString()}`,
  ];
  const updated = clear($('updated'));
  append(updated, parts.join(' · '));
  if (o.dropped > 0) {
    append(updated, ' · ', el('span', { class: 'warn', title: 'The telemetry queue was full; these requests were not recorded.' },
      `${fmtInt(o.dropped)} requests not recorded`));
  }
}

/** Fills missing buckets: returns [{at: ms, byEngine: Map(engine -> point)}] from `from` to `to`. */
function buckets(o) {
  const step = (o.bucketMinutes || 60) * 60_000;
  const from = new Date(o.from).getTime();
  const to = new Date(o.to).getTime();
  const map = new Map();
  if (Number.isFinite(from) && Number.isFinite(to) && to > from && (to - from) / step <= 2000) {
    for (let t = Math.floor(from / step) * step; t < to; t += step) map.set(t, new Map());
  }
  for (const p of o.series || []) {
    const t = new Date(p.at).getTime();
    if (!Number.isFinite(t)) continue;
    if (!map.has(t)) map.set(t, new Map());
    map.get(t).set(p.engine, p);
  }
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([at, byEngine]) => ({ at, byEngine }));
}

function seriesEngines(o) {
  return sortEngines([...(o.series || []).map((p) => p.engine), ...(o.engines || []).map((e) => e.engine)]);
}

function renderEngineCards(o) {
  const box = clear($('engine-cards'));
  const byName = new Map((o.engines || []).map((e) => [e.engine, e]));
  // Claude Code and Codex always get a card, so a quiet engine reads as "no calls", not as missing.
  const names = sortEngines(['claude', 'codex', ...byName.keys()]);
  const rows = buckets(o);
  const total = (o.engines || []).reduce((s, e) => ({ calls: s.calls + (e.calls || 0), errors: s.errors + (e.errors || 0),
    setup: s.setup + (e.setupCalls || 0) }), { calls: 0, errors: 0, setup: 0 });
  box.append(el('article', { class: 'card total', 'data-testid': 'total-card' },
    el('header', null, el('h3', null, 'All clients'), el('span', { class: 'engine-id' }, `last ${windowLabel(o.hours || state.hours)}`)),
    el('p', { class: total.calls ? 'big' : 'big muted' }, fmtInt(total.calls),
      el('span', { class: 'unit' }, total.calls === 1 ? ' call' : ' calls')),
    el('p', { class: total.errors ? 'errors bad' : 'errors' }, total.calls
      ? total.errors ? `${fmtInt(total.errors)} failed (${pctFormat.format(total.errors / total.calls)})` : 'none failed'
      : 'No tool calls in this window.'),
    setupLine(total.setup),
    el('dl', { class: 'latency' },
      el('div', null, el('dt', null, 'engines'), el('dd', null, fmtInt(byName.size))),
      el('div', null, el('dt', null, 'tools'), el('dd', null,
        fmtInt(new Set((o.tools || []).filter((t) => t.method === 'tools/call').map((t) => t.target)).size))),
      el('div', null, el('dt', null, 'dropped'), el('dd', { class: o.dropped ? 'warn' : null }, fmtInt(o.dropped))))));
  for (const name of names) {
    const e = byName.get(name) || { engine: name, calls: 0, errors: 0 };
    const card = el('article', { class: `card ${engineClass(name)}`, 'data-testid': 'engine-card', 'data-engine': name },
      el('header', null,
        el('span', { class: `dot ${engineClass(name)}`, 'aria-hidden': 'true' }),
        el('h3', null, engineLabel(name)),
        el('span', { class: 'engine-id' }, name)));
    if (!e.calls) {
      append(card, el('p', { class: 'big muted' }, '0'), el('p', { class: 'empty small' }, 'No tool calls in this window.'),
        setupLine(e.setupCalls || 0));
      box.append(card);
      continue;
    }
    const rate = e.calls ? e.errors / e.calls : 0;
    append(card,
      el('p', { class: 'big' }, fmtInt(e.calls), el('span', { class: 'unit' }, e.calls === 1 ? ' call' : ' calls')),
      el('p', { class: e.errors ? 'errors bad' : 'errors' },
        e.errors ? `${fmtInt(e.errors)} ${e.errors === 1 ? 'error' : 'errors'} (${pctFormat.format(rate)})` : 'no errors'),
      setupLine(e.setupCalls || 0),
      el('dl', { class: 'latency' },
        el('div', null, el('dt', null, 'p50'), el('dd', null, fmtMs(e.p50))),
        el('div', null, el('dt', null, 'p95'), el('dd', null, fmtMs(e.p95))),
        el('div', null, el('dt', null, 'p99'), el('dd', null, fmtMs(e.p99)))),
      sparkline(rows, name));
    box.append(card);
  }
}

/** The protocol set-up a client did (initialize, tools/list, …), counted apart from its work. */
function setupLine(n) {
  return el('p', { class: 'sub', 'data-testid': 'setup-calls',
    title: 'initialize, the */list calls, ping and notifications: the protocol\'s set-up, not work' },
  n ? `+ ${fmtInt(n)} set-up ${n === 1 ? 'request' : 'requests'} (initialize, lists)` : 'no set-up requests');
}

function sparkline(rows, engine) {
  const w = 240;
  const h = 36;
  const values = rows.map((r) => (r.byEngine.get(engine) || {}).calls || 0);
  const max = Math.max(1, ...values);
  const n = Math.max(1, values.length - 1);
  const pts = values.map((v, i) => `${((i / n) * w).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  return svg('svg', { class: `spark ${engineClass(engine)}`, viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: 'none',
    role: 'img', 'aria-label': `calls per bucket for ${engine}` },
  svg('polyline', { points: pts.join(' ') }));
}

function renderCharts() {
  const o = state.overview;
  if (!o) return;
  const rows = buckets(o);
  const engines = seriesEngines(o).filter((e) => (o.series || []).some((p) => p.engine === e));
  const empty = !(o.series || []).some((p) => p.calls > 0);
  const bucketText = o.bucketMinutes >= 1440 ? 'per day' : `per ${o.bucketMinutes} min`;
  $('calls-chart-hint').textContent = bucketText;
  $('latency-chart-hint').textContent = bucketText;
  drawChart($('calls-chart'), rows, engines, o, empty, 'calls');
  drawChart($('latency-chart'), rows, engines, o, empty, 'p95');
}

function bucketLabel(at, o, long) {
  const d = new Date(at);
  if (o.bucketMinutes >= 1440) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if ((o.hours || state.hours) <= 24 && !long) return time;
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}${long || o.bucketMinutes < 60 ? ` ${time}` : ''}`;
}

const TICK_STEPS = [5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2 * 1440, 3 * 1440, 7 * 1440, 14 * 1440];

/** The time between x-axis labels, in minutes: the smallest round step that keeps them under `maxLabels`. */
function tickStep(rows, o, maxLabels) {
  const span = rows.length * o.bucketMinutes;
  return TICK_STEPS.find((s) => s >= o.bucketMinutes && span / s <= maxLabels) || TICK_STEPS[TICK_STEPS.length - 1];
}

/** Whether a bucket starts on a round local time for `step`: 10:30 for 30 min, midnight for days. */
function onTick(at, step, bucketMinutes) {
  const d = new Date(at);
  const minutes = d.getHours() * 60 + d.getMinutes();
  const day = Math.floor((d.getTime() - d.getTimezoneOffset() * 60_000) / 86_400_000);
  if (step < 1440) return minutes % step === 0;
  // Daily buckets start at UTC midnight, which is not local midnight everywhere.
  return (bucketMinutes >= 1440 || minutes === 0) && day % (step / 1440) === 0;
}

function tickLabel(at, step, o) {
  const d = new Date(at);
  const midnight = d.getHours() === 0 && d.getMinutes() === 0;
  if (step >= 1440 || o.bucketMinutes >= 1440 || ((o.hours || state.hours) > 24 && midnight)) {
    return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  }
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Round tick values from 0 to at least max: 0, 2, 4, 6 or 0, 2.5, 5, 7.5. */
function niceTicks(max, integer) {
  const top = max > 0 ? max : 1;
  const raw = top / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  let step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  if (integer) step = Math.max(1, Math.ceil(step));
  const ticks = [];
  for (let v = 0; v <= top + step * 1e-9; v += step) ticks.push(v);
  if (ticks[ticks.length - 1] < top) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/** Draws the stacked calls bars or the p95 lines into `box`, sized to the box's width. */
function drawChart(box, rows, engines, o, empty, kind) {
  clear(box);
  if (empty || rows.length === 0) {
    box.append(el('p', { class: 'empty chart-empty' }, 'No calls in this window.'));
    return;
  }
  const width = Math.max(280, Math.floor(box.clientWidth || 560));
  const height = 210;
  const m = { left: 52, right: 10, top: 10, bottom: 26 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const n = rows.length;
  const bw = pw / n;
  const value = (r, e) => {
    const p = r.byEngine.get(e);
    if (!p) return null;
    return kind === 'calls' ? p.calls || 0 : p.p95 ?? null;
  };
  let max = 0;
  for (const r of rows) {
    if (kind === 'calls') max = Math.max(max, engines.reduce((s, e) => s + (value(r, e) || 0), 0));
    else for (const e of engines) max = Math.max(max, value(r, e) || 0);
  }
  const ticks = niceTicks(max, kind === 'calls');
  const top = ticks[ticks.length - 1];
  const y = (v) => m.top + ph - (v / top) * ph;
  const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img',
    'aria-label': kind === 'calls' ? 'Calls per bucket and engine' : 'p95 latency per bucket and engine' });

  const grid = svg('g', { class: 'gridlines' });
  for (const t of ticks) {
    grid.append(svg('line', { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t) }));
    grid.append(svg('text', { x: m.left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' },
      t === 0 ? '0' : kind === 'calls' ? fmtInt(t) : fmtMs(t)));
  }
  chart.append(grid);

  const xAxis = svg('g', { class: 'x-axis' });
  const step = tickStep(rows, o, Math.max(2, Math.floor(pw / 90)));
  rows.forEach((r, i) => {
    if (!onTick(r.at, step, o.bucketMinutes)) return;
    const x = m.left + i * bw + bw / 2;
    xAxis.append(svg('line', { x1: x, x2: x, y1: m.top + ph, y2: m.top + ph + 4 }));
    xAxis.append(svg('text', { x, y: height - 8, 'text-anchor': 'middle', class: 'tick' }, tickLabel(r.at, step, o)));
  });
  xAxis.append(svg('line', { x1: m.left, x2: width - m.right, y1: m.top + ph, y2: m.top + ph, class: 'baseline' }));
  chart.append(xAxis);

  const marks = svg('g', { class: 'marks' });
  if (kind === 'calls') {
    const gap = bw > 6 ? Math.min(4, bw * 0.2) : 0.5;
    rows.forEach((r, i) => {
      let base = 0;
      for (const e of engines) {
        const v = value(r, e) || 0;
        if (!v) continue;
        marks.append(svg('rect', { class: `bar ${engineClass(e)}`, x: (m.left + i * bw + gap / 2).toFixed(2),
          y: y(base + v).toFixed(2), width: Math.max(0.5, bw - gap).toFixed(2),
          height: Math.max(0.5, y(base) - y(base + v)).toFixed(2) }));
        base += v;
      }
    });
  } else {
    for (const e of engines) {
      let d = '';
      let pen = false;
      rows.forEach((r, i) => {
        const v = value(r, e);
        if (v === null) {
          pen = false;
          return;
        }
        const x = m.left + i * bw + bw / 2;
        d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y(v).toFixed(1)}`;
        // A point with no neighbour draws no line, so it gets a bigger dot.
        const alone = !pen && value(rows[i + 1] || { byEngine: new Map() }, e) === null;
        pen = true;
        marks.append(svg('circle', { class: `point ${engineClass(e)}`, cx: x.toFixed(1), cy: y(v).toFixed(1),
          r: alone ? 3.5 : n > 60 ? 1.6 : 2.6 }));
      });
      marks.insertBefore(svg('path', { class: `line ${engineClass(e)}`, d }), marks.firstChild);
    }
  }
  chart.append(marks);

  // One transparent column per bucket, on top, whose tooltip lists every engine in that bucket.
  const hits = svg('g', { class: 'hits' });
  rows.forEach((r, i) => {
    const lines = [bucketLabel(r.at, o, true)];
    for (const e of engines) {
      const p = r.byEngine.get(e);
      if (!p) continue;
      lines.push(kind === 'calls'
        ? `${engineLabel(e)}: ${fmtInt(p.calls)} calls${p.errors ? `, ${fmtInt(p.errors)} errors` : ''}`
        : `${engineLabel(e)}: p95 ${fmtMs(p.p95)}, p50 ${fmtMs(p.p50)}`);
    }
    if (lines.length === 1) lines.push('no calls');
    hits.append(svg('rect', { class: 'hit', x: (m.left + i * bw).toFixed(2), y: m.top, width: bw.toFixed(2), height: ph },
      svg('title', null, lines.join('\n'))));
  });
  chart.append(hits);

  box.append(legend(engines), chart);
}

function legend(engines) {
  return el('ul', { class: 'legend' },
    engines.map((e) => el('li', null, el('span', { class: `swatch ${engineClass(e)}`, 'aria-hidden': 'true' }), engineLabel(e))));
}

// ---- tools table ------------------------------------------------------------------------------------------------

function renderTools(tools) {
  const body = clear($('tools-table').tBodies[0]);
  // work first, the protocol's set-up (initialize, */list) after it, each by calls as the API sorted them
  const sorted = [...tools.filter((t) => !t.setup), ...tools.filter((t) => t.setup)];
  for (const t of sorted) {
    const row = el('tr', { 'data-testid': 'tool-row', 'data-engine': t.engine, 'data-method': t.method,
      'data-target': t.target ?? '', 'data-setup': String(Boolean(t.setup)) },
    el('td', null, engineBadge(t.engine)),
    el('td', null, el('code', null, t.method), t.setup ? el('span', { class: 'badge setup', title:
      'protocol set-up, counted apart from tool calls' }, ' set-up') : null),
    el('td', null, t.target ? el('code', { class: 'target' }, t.target) : el('span', { class: 'muted' }, '—')),
    el('td', { class: 'num' }, fmtInt(t.calls)),
    el('td', { class: t.errors ? 'num bad' : 'num muted' }, fmtInt(t.errors)),
    el('td', { class: 'num' }, fmtMs(t.p50)),
    el('td', { class: 'num' }, fmtMs(t.p95)),
    el('td', { class: 'num' }, fmtMs(t.p99)));
    body.append(row);
  }
  $('tools-empty').hidden = tools.length > 0;
  $('tools-table').hidden = tools.length === 0;
  filterTools();
}

function filterTools() {
  const q = $('tools-filter').value.trim().toLowerCase();
  for (const row of $('tools-table').tBodies[0].rows) {
    row.hidden = q !== '' && !row.textContent.toLowerCase().includes(q);
  }
}

// ---- errors, commands -------------------------------------------------------------------------------------------

function loadErrors() {
  return loadSections(['errors-panel'], `/api/errors?limit=${ERROR_LIMIT}${hostParam()}`, drawErrors);
}

function drawErrors({ errors = [] }) {
  const body = clear($('errors-table').tBodies[0]);
  for (const e of errors) {
    const client = [e.clientName, e.clientVersion].filter(Boolean).join(' ');
    body.append(el('tr', { 'data-testid': 'error-row', 'data-target': e.target ?? '' },
      el('td', { class: 'nowrap' }, timeAgo(e.at)),
      el('td', null, engineBadge(e.engine),
        // which credential made the call (person, codex, claude): the engine follows it, the client name is a label
        e.credential ? el('div', { class: 'sub', 'data-testid': 'error-credential' }, `${e.credential} credential`) : null),
      el('td', null, el('code', null, e.target || e.method),
        el('div', { class: 'sub' }, e.target ? `${e.method} · ` : '', client || 'unknown client', e.host ? ` @ ${e.host}` : '')),
      el('td', null, el('span', { class: `badge outcome ${e.outcome === 'rpc_error' ? 'rpc' : 'tool'}` }, e.outcome),
        e.errorClass && e.errorClass !== e.outcome ? el('span', { class: 'sub mono' }, ` ${e.errorClass}`) : null,
        e.reason ? el('div', { class: 'error-reason', 'data-testid': 'error-reason' }, e.reason)
          : el('div', { class: 'sub' }, 'no reason recorded')),
      el('td', { class: 'num' }, fmtMs(e.durationMs))));
  }
  $('errors-empty').hidden = errors.length > 0;
  $('errors-table').hidden = errors.length === 0;
}

function loadCommands() {
  return loadSections(['commands-panel'], `/api/commands${state.host ? `?host=${encodeURIComponent(state.host)}` : ''}`,
    drawCommands);
}

function drawCommands({ commands = [] }) {
  const body = clear($('commands-table').tBodies[0]);
  for (const c of commands) {
    body.append(el('tr', { 'data-testid': 'command-row', 'data-slug': c.slug },
      el('td', null, el('code', null, `/${c.slug}`)),
      el('td', null, engineBadge(c.engine)),
      el('td', { class: 'num' }, fmtInt(c.uses)),
      el('td', { class: 'nowrap' }, c.lastAt ? timeAgo(c.lastAt) : '—')));
  }
  $('commands-empty').hidden = commands.length > 0;
  $('commands-table').hidden = commands.length === 0;
}

// ---- portfolio, sync --------------------------------------------------------------------------------------------

async function loadPortfolio() {
  const { documents = [] } = await api('/api/portfolio');
  const body = clear($('portfolio-table').tBodies[0]);
  for (const d of documents) {
    body.append(el('tr', { 'data-testid': 'portfolio-row', 'data-path': d.path },
      el('td', null, el('div', null, d.title || d.path), d.title ? el('div', { class: 'sub mono' }, d.path) : null),
      el('td', { class: 'num' }, fmtBytes(d.bytes)),
      el('td', { class: 'nowrap' }, d.updatedAt ? timeAgo(d.updatedAt) : '—')));
  }
  $('portfolio-hint').textContent = documents.length ? `${fmtInt(documents.length)} documents` : '';
  $('portfolio-empty').hidden = documents.length > 0;
  $('portfolio-table').hidden = documents.length === 0;
}

async function loadSync() {
  const s = await api('/api/sync');
  const box = clear($('sync'));
  if (!s.present && s.error) {
    box.dataset.state = 'unreadable';
    append(box,
      el('p', null, el('span', { class: 'badge state drift' }, 'Unreadable')),
      el('p', { class: 'muted' }, 'The last check-sync record could not be read: ', el('span', { class: 'mono' }, s.error)),
      el('p', { class: 'muted' }, 'Run ', el('code', null, 'tandem sync check-sync'), ' again to write a new one.'));
    return;
  }
  if (!s.present) {
    box.dataset.state = 'never';
    append(box,
      el('p', null, el('span', { class: 'badge state never' }, 'Never run')),
      el('p', { class: 'muted' }, 'No check-sync result on this machine yet. Run ',
        el('code', null, 'tandem sync check-sync'), ' to record one.'));
    return;
  }
  const report = s.report || {};
  const drift = Array.isArray(report.drift) ? report.drift : [];
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  // A memories section older than the hub's store is stale, not drift: the record says inSync for it.
  const stale = Array.isArray(report.stale) ? report.stale : [];
  const inSync = s.inSync === true;
  box.dataset.state = inSync ? 'in-sync' : 'drift';
  append(box,
    el('p', { class: 'sync-head' },
      el('span', { class: `badge state ${inSync ? 'ok' : 'drift'}` }, inSync ? 'In sync' : 'Drifted'),
      ' ',
      inSync ? `${fmtInt(report.checked)} files checked`
          + (stale.length ? `; the memories of ${fmtInt(new Set(stale.map((d) => d.file)).size)} agent document(s) are stale` : '')
        : `drift in ${fmtInt(new Set(drift.map((d) => d.file)).size)} of ${fmtInt(report.checked)} files`
          + ` (${fmtInt(drift.length)} ${drift.length === 1 ? 'finding' : 'findings'})`),
    el('dl', { class: 'facts' },
      el('div', null, el('dt', null, 'When'), el('dd', null, s.at ? timeAgo(s.at) : '—')),
      el('div', null, el('dt', null, 'Exit code'), el('dd', { class: 'mono' }, String(s.exitCode ?? '—'))),
      s.home ? el('div', null, el('dt', null, 'Home'), el('dd', { class: 'mono' }, s.home)) : null));
  if (drift.length) {
    // Grouped by file, paths under the checked home shortened to ~.
    const byFile = new Map();
    for (const d of drift) {
      const file = shortPath(d.file, s.home);
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push(d);
    }
    const files = [...byFile.entries()];
    const shown = files.slice(0, MAX_SYNC_FILES);
    box.append(el('ul', { class: 'findings' }, shown.map(([file, items]) => {
      const edited = items.some((d) => d.kind === 'edited');
      return el('li', { 'data-testid': 'sync-finding', 'data-kind': edited ? 'edited' : 'drift' },
        el('div', { class: 'sync-head' },
          el('span', { class: `badge kind-${edited ? 'edited' : 'drift'}` }, edited ? 'edited by you' : 'differs'),
          el('span', { class: 'mono file' }, file), el('span', { class: 'muted' }, `(${clientOf(file)})`)),
        el('ul', { class: 'items' }, fileWords(items).map((words) => el('li', { class: 'finding-text' }, ...words))),
        el('p', { class: 'finding-fix', 'data-testid': 'sync-fix' }, ...(edited
          ? ['Keep your edit: ', el('code', null, 'tandem sync pull-runtime'), '; or replace it with the source\'s version: ',
            el('code', null, `tandem sync push-runtime --force ${file}`), '.']
          : ['To fix: ', el('code', null, 'tandem sync push-runtime'),
            ' writes what Tandem manages here and keeps everything else in the file.'])));
    })));
    if (files.length > shown.length) {
      box.append(el('p', { class: 'muted' }, `… and ${files.length - shown.length} more files; `,
        el('code', null, 'tandem sync check-sync'), ' lists them all.'));
    }
  }
  if (stale.length) {
    const staleFiles = [...new Set(stale.map((d) => shortPath(d.file, s.home)))];
    box.append(el('p', { class: 'muted', 'data-testid': 'sync-stale' }, 'Stale, not drift: agents stored memories since the last push, so the memories section of ',
      ...staleFiles.flatMap((f, i) => [i ? ', ' : '', el('code', null, f)]), ' is older than the hub\'s store. ',
      el('code', null, 'tandem sync push-runtime'), ' refreshes it.'));
  }
  if (warnings.length) {
    box.append(el('ul', { class: 'warnings' }, warnings.map((w) => el('li', null, typeof w === 'string' ? w : JSON.stringify(w)))));
  }
}

function shortPath(file, home) {
  const f = String(file);
  return home && f.startsWith(`${home}/`) ? `~${f.slice(home.length)}` : f;
}

/** Which client reads a file, from its place. */
function clientOf(file) {
  if (/(^|\/)\.codex(\/|$)/.test(file) || /codex/i.test(file)) return 'Codex CLI';
  if (/(^|\/)\.claude(\.json|\/|$)/.test(file) || /claude/i.test(file)) return 'Claude Code';
  return 'Tandem';
}

const DOC_PARTS = {
  'base sha256': 'its base instructions (from the shared AGENTS.md in your source) no longer match the source',
  'sections sha256': 'its shared-memory and skills sections no longer match the source',
  'whole sha256': 'the file as a whole no longer matches what push would write',
  'memories sha256': 'its memories section is older than the hub\'s store',
};
const MISSING_FILE = 'The file is missing: Tandem has not written it yet, or it was deleted.';

function absentValue(v) {
  return v === null || v === undefined || v === '(absent)' || v === 'missing' || v === 'none';
}

/** A file's findings as sentences; a missing file is one sentence, not one per part. */
function fileWords(items) {
  const missing = items.some((d) => (d.item === 'file' || d.item === 'whole sha256') && absentValue(d.actual));
  return missing ? [[MISSING_FILE]] : items.map(findingWords);
}

/** One check-sync finding as a sentence: what differs, what the source says and what is there. */
function findingWords(d) {
  const item = String(d.item ?? '');
  const absent = absentValue;
  const value = (v) => el('code', null, clip(v, 60));
  if (d.kind === 'edited') {
    return ['You changed this file after Tandem last wrote it; push leaves it alone until you choose.'];
  }
  if (DOC_PARTS[item]) return [`In this agent document, ${DOC_PARTS[item]}.`];
  if (item === 'file' || item === 'content') {
    if (absent(d.actual)) return [MISSING_FILE];
    if (absent(d.expected)) return ['The file is still there, but the source no longer has it: push removes it.'];
    return ['The file\'s content differs from the source.'];
  }
  if (item === 'mode') return ['Its permissions are ', value(d.actual), '; they should be ', value(d.expected), '.'];
  if (item === 'managed block') {
    return absent(d.actual) ? ['Tandem\'s managed block is missing from it.'] : ['Tandem\'s managed block in it was changed.'];
  }
  if (absent(d.actual)) return ['The setting ', value(item), ' is missing; the source sets it to ', value(d.expected), '.'];
  if (absent(d.expected)) return ['The setting ', value(item), ' is there, but the source no longer has it.'];
  return ['The setting ', value(item), ' is ', value(d.actual), '; the source says ', value(d.expected), '.'];
}

function clip(text, max) {
  const s = text === null || text === undefined ? '' : String(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// ---- memories ---------------------------------------------------------------------------------------------------

let memoryRequests = 0;

async function loadMemories() {
  const q = state.query;
  const list = $('memory-list');
  // Only the latest request may draw the list: an older, slower answer must not replace a newer search.
  const request = ++memoryRequests;
  list.setAttribute('aria-busy', 'true');
  let memories;
  try {
    const limit = state.memoryLimit;
    const path = (q ? `/api/memories?q=${encodeURIComponent(q)}&limit=${limit}` : `/api/memories?limit=${limit}`)
      + hostParam();
    ({ memories = [] } = await api(path));
  } catch (e) {
    if (request !== memoryRequests) return;
    list.removeAttribute('aria-busy');
    if (e instanceof ApiError && e.status === 400) {
      clear(list);
      $('memories-empty').hidden = true;
      setMemoryStatus('bad', `The search was not understood: ${e.message.replace(/^[^:]*: /, '')}`);
      return;
    }
    throw e;
  }
  if (request !== memoryRequests) return;
  list.removeAttribute('aria-busy');
  clear(list);
  for (const m of memories) list.append(memoryItem(m));
  $('memories-hint').textContent = q
    ? `${fmtInt(memories.length)} ${memories.length === 1 ? 'match' : 'matches'} for “${clip(q, 40)}”`
    : `${memories.length >= state.memoryLimit ? `${fmtInt(memories.length)} newest` : `${fmtInt(memories.length)} stored`}`;
  $('memory-more').hidden = memories.length < state.memoryLimit || state.memoryLimit >= MEMORY_MAX;
  const empty = $('memories-empty');
  empty.textContent = q ? `No memory matches “${q}”.` : 'No memories stored yet.';
  empty.hidden = memories.length > 0;
}

function setMemoryStatus(kind, text) {
  const s = $('memory-status');
  s.className = `status ${kind}`;
  s.textContent = text;
}

function memoryItem(m) {
  const title = m.title || m.summary || '(untitled)';
  const content = m.content || '';
  const long = content.length > PREVIEW_CHARS;
  const body = el('p', { class: 'content' }, long ? `${content.slice(0, PREVIEW_CHARS)}…` : content);
  const actions = el('div', { class: 'actions' });
  const item = el('li', { class: 'memory', 'data-testid': 'memory-item', 'data-id': m.id },
    el('div', { class: 'memory-head' },
      el('h3', null, title),
      actions),
    el('p', { class: 'sub' },
      engineBadge(m.engine), ' ',
      el('span', { class: 'scope', title: m.scope === 'shared' ? 'every engine on every host sees it'
        : m.scope === 'host' ? `every engine on ${m.host} sees it` : 'only the engine and host that stored it see it' },
        m.scope === 'shared' ? 'shared' : `${m.scope || '?'} scope`),
      m.host ? ` · ${m.host}` : '',
      ' · updated ', m.updated ? timeAgo(m.updated) : '—',
      m.version > 1 ? ` · version ${m.version}` : '',
      ' · ', el('span', { class: 'mono', title: m.id }, m.id)),
    body,
    (m.tags || []).length ? el('p', { class: 'tags' }, m.tags.map((t) => el('span', { class: 'tag' }, t))) : null);
  if (long) {
    const more = el('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, 'Show all');
    more.addEventListener('click', () => {
      const open = more.getAttribute('aria-expanded') === 'true';
      body.textContent = open ? `${content.slice(0, PREVIEW_CHARS)}…` : content;
      more.setAttribute('aria-expanded', String(!open));
      more.textContent = open ? 'Show all' : 'Show less';
    });
    item.insertBefore(el('p', { class: 'more' }, more), body.nextSibling);
  }
  showDeleteButton(actions, m, title);
  return item;
}

function showDeleteButton(actions, m, title) {
  clear(actions);
  const del = el('button', { type: 'button', class: 'button danger-outline small', 'data-testid': 'memory-delete',
    'aria-label': `Delete memory ${title}` }, 'Delete');
  del.addEventListener('click', () => showDeleteConfirm(actions, m, title));
  actions.append(del);
}

function showDeleteConfirm(actions, m, title) {
  clear(actions);
  const yes = el('button', { type: 'button', class: 'button danger small', 'data-testid': 'memory-delete-confirm' },
    'Delete for good');
  const no = el('button', { type: 'button', class: 'button quiet small', 'data-testid': 'memory-delete-cancel' }, 'Cancel');
  const cancel = () => {
    showDeleteButton(actions, m, title);
    actions.querySelector('button').focus();
  };
  no.addEventListener('click', cancel);
  for (const b of [yes, no]) {
    b.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !yes.disabled) cancel();
    });
  }
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await api(`/api/memories/${encodeURIComponent(m.id)}`, { method: 'DELETE' });
      setMemoryStatus('ok', `Deleted “${clip(title, 60)}”. Agents no longer see it; its history stays in the store.`);
    } catch (e) {
      if (e instanceof AuthError) return showLoggedOut('Your dashboard session has ended.');
      if (e instanceof ApiError && e.status === 404) {
        setMemoryStatus('bad', `“${clip(title, 60)}” was already deleted.`);
      } else {
        setMemoryStatus('bad', `Could not delete “${clip(title, 60)}”: ${e.message}`);
        showDeleteButton(actions, m, title);
        return;
      }
    }
    try {
      await loadMemories();
      $('memory-q').focus(); // the focused button is gone with its item
    } catch (e) {
      if (e instanceof AuthError) showLoggedOut('Your dashboard session has ended.');
      else setMemoryStatus('bad', `Could not reload the memories: ${e.message}`);
    }
  });
  actions.append(el('span', { class: 'confirm-text' }, 'Delete this memory?'), yes, no);
  yes.focus();
}

// ---- jobs -------------------------------------------------------------------------------------------------------

function post(path, body) {
  return api(path, { method: 'POST', body: JSON.stringify(body || {}), headers: { 'Content-Type': 'application/json' } });
}

function statusBadge(status, pending) {
  const label = status === 'waiting' ? `waiting for you${pending ? ` (${pending})` : ''}` : status;
  return el('span', { class: `status-badge ${status}`, 'data-testid': 'job-status' }, label);
}

function fmtElapsed(ms) {
  const s = Math.floor((ms || 0) / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function fmtCost(usd) {
  return usd === null || usd === undefined ? '—' : `$${usd.toFixed(usd < 0.01 ? 4 : 2)}`;
}

/** What the job's session cost by the usage ledger (docs/usage.md), once the ledger has read its log. */
function fmtLedger(l) {
  if (!l) return '— (not in the usage logs read so far)';
  const unpriced = l.unpricedResponses ? ` · ${fmtInt(l.unpricedResponses)} unpriced` : '';
  return `${fmtCost(l.costUSD)} · ${fmtInt(l.responses)} responses · ${fmtInt(l.totalTokens)} tokens${unpriced}`;
}

function fmtTokens(t) {
  return t ? fmtInt((t.input || 0) + (t.output || 0)) : '—';
}

async function loadJobs() {
  if (state.jobsOff) return;
  try {
    await loadSections(['jobs-panel'], `/api/jobs?limit=${JOBS_LIMIT}${hostParam()}`, drawJobs);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    // a hub with [jobs] enabled = false has no jobs API: say so once instead of failing every refresh
    state.jobsOff = true;
    $('jobs-hint').textContent = 'turned off';
    $('jobs-empty').textContent = 'Jobs are turned off on this hub ([jobs] enabled = false in hub.toml).';
    $('jobs-empty').hidden = false;
  }
}

function drawJobs(out) {
  state.jobs = out.jobs || [];
  renderJobs();
  const open = state.jobs.find((j) => j.id === state.jobId);
  if (open) renderJobFields(open);
}

function renderJobs() {
  const body = clear(document.querySelector('#jobs-table tbody'));
  $('jobs-empty').hidden = state.jobs.length > 0;
  const waiting = state.jobs.filter((j) => j.status === 'waiting').length;
  const running = state.jobs.filter((j) => ACTIVE.includes(j.status)).length;
  const hint = clear($('jobs-hint'));
  append(hint, `${fmtInt(running)} active`);
  if (waiting) append(hint, ' · ', el('span', { class: 'warn' }, `${waiting} waiting for you`));
  for (const j of state.jobs) {
    const row = el('tr', { 'data-testid': 'job-row', 'data-job': j.id, tabindex: '0',
      'aria-selected': String(j.id === state.jobId) },
      el('td', { class: 'mono' }, j.id),
      el('td', null, engineBadge(j.engine), ' ', el('span', { class: 'muted' }, j.mode)),
      el('td', null, statusBadge(j.status, (j.pending || []).length)),
      el('td', { class: 'num' }, fmtElapsed(j.elapsed_ms)),
      el('td', { class: 'num' }, fmtTokens(j.tokens)),
      el('td', { class: 'num' }, fmtCost(j.cost_usd)),
      el('td', { class: 'num', 'data-testid': 'job-row-ledger' }, j.ledger ? fmtCost(j.ledger.costUSD) : '—'),
      el('td', { class: 'num' }, fmtInt((j.files_modified || []).length)),
      el('td', null, clip(j.summary || j.prompt || '', 90)));
    const open = () => openJob(j.id);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') open();
    });
    body.append(row);
  }
}

function openJob(id) {
  state.jobId = id;
  state.follow += 1;
  for (const r of document.querySelectorAll('#jobs-table tbody tr')) {
    r.setAttribute('aria-selected', String(r.dataset.job === id));
  }
  const box = clear($('job-detail'));
  box.hidden = false;
  box.dataset.job = id;
  append(box,
    el('h3', null, 'Job ', el('span', { class: 'mono' }, id)),
    el('div', { id: 'job-fields' }),
    el('div', { id: 'job-controls' }),
    el('p', { id: 'job-status-line', class: 'status', role: 'status', 'aria-live': 'polite' }),
    el('pre', { class: 'job-events', 'data-testid': 'job-events', 'aria-label': 'Job events' }));
  const job = state.jobs.find((j) => j.id === id);
  if (job) renderJobFields(job);
  followJob(id, state.follow);
}

// Another host was chosen and the open job ran elsewhere: its detail and the stream of its events end.
function closeJob() {
  state.jobId = null;
  state.follow += 1;
  const box = clear($('job-detail'));
  box.hidden = true;
  delete box.dataset.job;
}

function renderJobFields(j) {
  const fields = $('job-fields');
  if (!fields) return;
  clear(fields);
  const t = j.tokens || {};
  const dl = el('dl', null,
    el('dt', null, 'Status'), el('dd', null, statusBadge(j.status, (j.pending || []).length)),
    el('dt', null, 'Engine'), el('dd', null, `${engineLabel(j.engine)} · ${j.mode} · sandbox ${j.sandbox} · approval ${j.approval}`),
    el('dt', null, 'Started by'), el('dd', { 'data-testid': 'job-origin' }, j.origin || '—'),
    el('dt', null, 'Folder'), el('dd', { class: 'mono' }, j.dir),
    el('dt', null, 'Prompt'), el('dd', null, clip(j.prompt || '', 400)),
    el('dt', null, 'Elapsed'), el('dd', null, fmtElapsed(j.elapsed_ms)),
    el('dt', null, 'Tokens'), el('dd', { 'data-testid': 'job-tokens' },
      `${fmtInt(t.input)} in (${fmtInt(t.cached_input)} cached) · ${fmtInt(t.output)} out`
        + (t.context_used_pct !== null && t.context_used_pct !== undefined ? ` · context ${t.context_used_pct}%` : '')),
    el('dt', null, 'Cost'), el('dd', { 'data-testid': 'job-cost' }, fmtCost(j.cost_usd)),
    el('dt', null, 'Ledger cost'), el('dd', { 'data-testid': 'job-ledger-cost' }, fmtLedger(j.ledger)),
    el('dt', null, 'Files changed'), el('dd', { class: 'mono', 'data-testid': 'job-files' },
      (j.files_modified || []).length ? j.files_modified.join('\n') : '—'),
    el('dt', null, 'Session'), el('dd', { class: 'mono' }, j.session_id || '—'));
  const changes = j.protected_changes || [];
  if (changes.length) {
    append(dl, el('dt', { class: 'bad' }, 'Code-running files'),
      el('dd', { class: 'mono protected-changes', 'data-testid': 'job-protected' },
        el('strong', null, 'Changed while the job ran (not reverted; review before you open the project again):'),
        '\n' + changes.map(c => `${c.change} ${c.path}${PROTECTED_NOTES[c.change] || ''}`).join('\n')));
  }
  if (j.summary) append(dl, el('dt', null, 'Summary'), el('dd', { 'data-testid': 'job-summary' }, j.summary));
  if (j.error) append(dl, el('dt', null, 'Error'), el('dd', { class: 'bad' }, j.error));
  fields.append(dl);
  renderJobControls(j);
}

// what a protected change means beyond its name
const PROTECTED_NOTES = {
  unchecked: '  (changes may have been missed; check git status)',
  present: '  (there now; an earlier look did not reach it, so whether the job changed it is unknown)',
};

function renderJobControls(j) {
  const box = clear($('job-controls'));
  if ((j.pending || []).length) {
    const wait = el('div', { class: 'waiting-box', 'data-testid': 'job-waiting' },
      el('h4', null, 'Waiting for you'));
    for (const p of j.pending) {
      const approve = el('button', { type: 'button', class: 'button primary small', 'data-testid': 'job-approve',
        'data-request': p.id }, 'Approve');
      const deny = el('button', { type: 'button', class: 'button danger-outline small', 'data-testid': 'job-deny',
        'data-request': p.id }, 'Deny');
      approve.addEventListener('click', () => answer(j.id, p.id, true, [approve, deny]));
      deny.addEventListener('click', () => answer(j.id, p.id, false, [approve, deny]));
      wait.append(el('div', { class: 'pending' },
        el('span', { class: 'mono' }, `#${p.id}`), el('span', { class: 'badge' }, p.kind),
        el('span', { class: 'what' }, p.summary), approve, deny));
    }
    box.append(wait);
  }
  const actions = el('div', { class: 'job-actions' });
  if (ACTIVE.includes(j.status)) {
    const kill = el('button', { type: 'button', class: 'button danger-outline small', 'data-testid': 'job-kill' }, 'Kill');
    kill.addEventListener('click', () => act(j.id, 'kill', {}, kill, 'Killed.'));
    actions.append(kill);
  } else if (j.mode === 'interactive') {
    const input = el('input', { type: 'text', placeholder: 'Follow-up message', 'aria-label': 'Follow-up message',
      'data-testid': 'job-message' });
    const send = el('button', { type: 'button', class: 'button small', 'data-testid': 'job-send' }, 'Send');
    send.addEventListener('click', () => {
      if (input.value.trim()) act(j.id, 'send', { message: input.value.trim() }, send, 'Sent.');
    });
    actions.append(input, send);
  }
  if (['interrupted', 'failed', 'killed'].includes(j.status)) {
    const resume = el('button', { type: 'button', class: 'button small', 'data-testid': 'job-resume' }, 'Resume');
    resume.addEventListener('click', () => act(j.id, 'resume', {}, resume, 'Resumed.'));
    actions.append(resume);
  }
  if (actions.childElementCount) box.append(actions);
}

function setJobStatus(kind, text) {
  const line = $('job-status-line');
  if (!line) return;
  line.className = `status ${kind}`;
  line.textContent = text;
}

async function answer(id, requestId, approve, buttons) {
  for (const b of buttons) b.disabled = true;
  try {
    const job = await post(`/api/jobs/${encodeURIComponent(id)}/approve`, { request_id: requestId, approve });
    setJobStatus('ok', `${approve ? 'Approved' : 'Denied'} #${requestId}.`);
    updateJob(job);
  } catch (e) {
    if (e instanceof AuthError) return showLoggedOut('Your dashboard session has ended.');
    setJobStatus('bad', e.message);
    for (const b of buttons) b.disabled = false;
  }
}

async function act(id, what, body, button, done) {
  button.disabled = true;
  try {
    const job = await post(`/api/jobs/${encodeURIComponent(id)}/${what}`, body);
    setJobStatus('ok', done);
    updateJob(job);
    if (ACTIVE.includes(job.status)) followJob(id, ++state.follow, true);
  } catch (e) {
    if (e instanceof AuthError) return showLoggedOut('Your dashboard session has ended.');
    setJobStatus('bad', e.message);
    button.disabled = false;
  }
}

function updateJob(job) {
  const i = state.jobs.findIndex((j) => j.id === job.id);
  if (i >= 0) state.jobs[i] = job;
  else state.jobs.unshift(job);
  renderJobs();
  if (state.jobId === job.id) renderJobFields(job);
}

/** Follows a job's events with long polls while it is active and its detail stays open. */
async function followJob(id, token, keep) {
  const pre = document.querySelector('#job-detail .job-events');
  if (!pre) return;
  if (!keep) {
    clear(pre);
    pre.dataset.after = '0';
  }
  while (state.follow === token && !state.loggedOut) {
    let page;
    try {
      const wait = pre.dataset.after === '0' ? 0 : JOB_WAIT_SECONDS;
      page = await api(`/api/jobs/${encodeURIComponent(id)}/events?after=${pre.dataset.after}&wait=${wait}`);
    } catch (e) {
      if (e instanceof AuthError) return showLoggedOut('Your dashboard session has ended.');
      setJobStatus('bad', `Following the job stopped: ${e.message}`);
      return;
    }
    if (state.follow !== token) return;
    for (const ev of page.events || []) {
      pre.append(el('span', { class: `ev ev-${ev.kind}` },
        `${new Date(ev.at).toLocaleTimeString()} `, el('span', { class: 'kind' }, ev.kind), ` ${ev.text}\n`));
      pre.dataset.after = String(ev.seq);
    }
    if ((page.events || []).length) pre.scrollTop = pre.scrollHeight;
    if (page.job) updateJob(page.job);
    if (page.job && !ACTIVE.includes(page.job.status) && !(page.events || []).length) return;
  }
}

// ---- hosts: the picker and each host's share ---------------------------------------------------------------------

/** Returns `&host=NAME` while one host is chosen, else '' (every host: the fleet's totals). */
function hostParam() {
  return state.host ? `&host=${encodeURIComponent(state.host)}` : '';
}

/**
 * Fills the host picker from /api/hosts: shown on a shared (PostgreSQL) store, or when the store holds more than
 * one host's rows; a single machine's dashboard stays as it was.
 */
async function loadHosts() {
  const h = await api('/api/hosts');
  const show = Boolean(h.picker);
  $('host-picker-wrap').hidden = !show;
  $('hosts-panel').hidden = !show;
  if (!show) return;
  const names = [...(h.hosts || [])];
  if (state.host && !names.includes(state.host)) names.push(state.host);
  const select = $('host-picker');
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.join('\n') !== names.join('\n')) {
    while (select.options.length > 1) select.remove(1);
    for (const n of names) select.append(el('option', { value: n }, n === h.self ? `${n} (this hub)` : n));
  }
  select.value = state.host;
}

function selectHost(host) {
  if (host !== state.host) state.view += 1;
  state.host = host;
  const url = new URL(location.href);
  if (host) url.searchParams.set('host', host);
  else url.searchParams.delete('host');
  history.replaceState(null, '', url);
  $('hosts-hint').textContent = host
    ? `showing ${host} only; the rows below are every host's`
    : "each host's share of the fleet's totals";
}

/** The usage report's rows, host by host (usage.js hands them over with each load). */
function onHostUsage(report) {
  state.hostUsage = report;
  renderHosts();
}

function renderHosts() {
  const body = clear($('hosts-table').tBodies[0]);
  const foot = clear($('hosts-table').tFoot);
  const usage = new Map(((state.hostUsage && state.hostUsage.rows) || []).map((r) => [r.key, r.total || {}]));
  const names = [...new Set([...state.hostRows.keys(), ...usage.keys()])].sort();
  const sum = { calls: 0, errors: 0, jobs: 0, responses: 0, tokens: 0, cost: 0 };
  for (const name of names) {
    const t = state.hostRows.get(name) || {};
    const u = usage.get(name) || {};
    const row = { calls: t.calls || 0, errors: t.errors || 0, jobs: t.jobs || 0,
      responses: u.responses || 0, tokens: u.totalTokens || 0, cost: u.costUSD || 0 };
    for (const k of Object.keys(sum)) sum[k] += row[k];
    const tr = hostRow(name, row);
    if (name === state.host) tr.setAttribute('aria-current', 'true');
    body.append(tr);
  }
  foot.append(hostRow('All hosts', sum));
}

function hostRow(name, r) {
  return el('tr', { 'data-host': name },
    el('td', null, name),
    el('td', { class: 'num' }, fmtInt(r.calls)),
    el('td', { class: 'num' }, fmtInt(r.errors)),
    el('td', { class: 'num' }, fmtInt(r.jobs)),
    el('td', { class: 'num' }, fmtInt(r.responses)),
    el('td', { class: 'num' }, fmtInt(r.tokens)),
    el('td', { class: 'num' }, `$${r.cost.toFixed(r.cost < 1 ? 4 : 2)}`));
}

// ---- whoami, refresh, wiring ------------------------------------------------------------------------------------

async function loadWhoami() {
  const w = await api('/api/whoami');
  $('hub-version').textContent = `hub ${w.hub || '?'}`;
  $('hub-host').textContent = w.host || '?';
  document.title = `Tandem hub · ${w.host || 'dashboard'}`;
}

/** Reloads everything but the memory list (which keeps its search until the person searches again). */
async function refresh(withMemories) {
  if (state.loggedOut) return;
  const failures = [];
  $('refresh').disabled = true;
  try {
    await Promise.all([
      guarded('hub', loadWhoami, failures),
      guarded('hosts', loadHosts, failures),
      guarded('overview', loadOverview, failures),
      guarded('jobs', loadJobs, failures),
      guarded('errors', loadErrors, failures),
      guarded('commands', loadCommands, failures),
      guarded('portfolio', loadPortfolio, failures),
      guarded('check-sync', loadSync, failures),
      guarded('usage', loadUsage, failures),
      guarded('fleet', () => loadFleet(USAGE_UI), failures),
      withMemories ? guarded('memories', loadMemories, failures) : null,
    ]);
  } catch (e) {
    if (e instanceof AuthError) {
      showLoggedOut(withMemories === 'first' ? 'You are not logged in to this hub.' : 'Your dashboard session has ended.');
      return;
    }
    failures.push(e.message);
  } finally {
    if (!state.loggedOut) $('refresh').disabled = false;
  }
  if (failures.length) {
    showBanner('error', el('strong', null, 'Some data could not be loaded.'), ' ',
      el('span', null, failures.join('; ')), ' ', el('span', { class: 'muted' }, 'The other sections are current.'));
  } else {
    hideBanner();
  }
}

function loadUsage() {
  const days = usageDays();
  return loadSections(['usage-section'], usagePath(days, state.host), (u) => drawUsage(USAGE_UI, u, days));
}

/** What usage.js may use of this page. */
const USAGE_UI = { api, el, svg, clear, fmtInt, timeAgo, onHosts: onHostUsage, $: (id) => document.getElementById(id) };

/** The usage view counts whole days: 1 h and 24 h show today, 7 d and 30 d their days. */
function usageDays() {
  return Math.max(1, Math.round(state.hours / 24));
}

function initialHours() {
  const h = Number(new URLSearchParams(location.search).get('hours'));
  return WINDOWS.includes(h) ? h : 24;
}

function selectWindow(hours) {
  if (hours !== state.hours) state.view += 1;
  state.hours = hours;
  for (const b of document.querySelectorAll('#window-picker button')) {
    b.setAttribute('aria-pressed', String(Number(b.dataset.hours) === hours));
  }
  const url = new URL(location.href);
  url.searchParams.set('hours', String(hours));
  history.replaceState(null, '', url);
}

async function logout() {
  try {
    await api('/api/logout', { method: 'POST' });
  } catch (e) {
    if (!(e instanceof AuthError)) {
      showBanner('error', el('strong', null, 'Logging out failed: '), e.message);
      return;
    }
  }
  showLoggedOut('You are logged out.');
}

function wire() {
  selectWindow(state.hours);
  selectHost(state.host);
  $('host-picker').addEventListener('change', (ev) => {
    selectHost(ev.target.value);
    const open = state.jobs.find((j) => j.id === state.jobId);
    if (state.jobId && state.host && (!open || open.host !== state.host)) closeJob();
    refresh(true);
  });
  for (const b of document.querySelectorAll('#window-picker button')) {
    b.addEventListener('click', () => {
      selectWindow(Number(b.dataset.hours));
      refresh(false);
    });
  }
  $('refresh').addEventListener('click', () => refresh(true));
  $('logout').addEventListener('click', logout);
  $('tools-filter').addEventListener('input', filterTools);
  const reloadMemories = (query, limit) => {
    state.query = query;
    state.memoryLimit = limit;
    setMemoryStatus('', '');
    loadMemories().catch((e) => {
      if (e instanceof AuthError) showLoggedOut('Your dashboard session has ended.');
      else setMemoryStatus('bad', e.message);
    });
  };
  $('memory-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    reloadMemories($('memory-q').value.trim(), MEMORY_PAGE);
  });
  $('memory-clear').addEventListener('click', () => {
    $('memory-q').value = '';
    reloadMemories('', MEMORY_PAGE);
  });
  $('memory-more').addEventListener('click', () => {
    reloadMemories(state.query, Math.min(MEMORY_MAX, state.memoryLimit + MEMORY_PAGE));
  });
  let pending = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(renderCharts);
  }).observe($('calls-chart'));
  let pendingUsage = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(pendingUsage);
    pendingUsage = requestAnimationFrame(() => redrawUsageChart(USAGE_UI));
  }).observe($('usage-chart'));
  state.timer = setInterval(() => {
    if (document.visibilityState === 'visible') refresh(false);
  }, AUTO_REFRESH_MS);
  // jobs change faster than the rest (one started from a terminal, one waiting for you): read every few seconds
  setInterval(() => {
    if (state.loggedOut || document.visibilityState !== 'visible') return;
    loadJobs().catch((e) => {
      if (e instanceof AuthError) showLoggedOut('Your dashboard session has ended.');
    });
  }, JOBS_POLL_MS);
}

// ---- phones: every data table's cells carry their column's name (app.css stacks the rows under 600 px) ------

function labelCells(table) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((cell, i) => {
        if (names[i] !== undefined && cell.dataset.label !== names[i]) cell.dataset.label = names[i];
      });
    }
  }
}

function labelTables() {
  for (const table of document.querySelectorAll('table.data')) {
    labelCells(table);
    new MutationObserver(() => labelCells(table)).observe(table, { childList: true, subtree: true });
  }
}

labelTables();
wire();
refresh('first');
