import { EndpointView, StatusView } from './status-view';
import { trendChart } from './svg-chart';

/** How often the page reloads itself. */
const REFRESH_S = 5;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:12px;background:#f6f7f9;color:#1f2328}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 8px}
.meta{color:#59636e;font-size:12px}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:20px}
.scroll{overflow-x:auto;background:#fff;border:1px solid #d1d9e0;border-radius:6px}
table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;text-align:left;border-bottom:1px solid #eef0f2;white-space:nowrap}
th{font-size:12px;color:#59636e;font-weight:600}td.wrap{white-space:normal;overflow-wrap:anywhere;min-width:160px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.up{background:#1a7f37}.failing{background:#bf8700}.down{background:#cf222e}.unknown{background:#6e7781}
.chart .calls{fill:#8cb4ff}.chart .errors{fill:#cf222e}.chart .latency{fill:none;stroke:#1f2328;stroke-width:1.5}
.empty{padding:12px;color:#59636e}
form.logout{float:right}button{font:inherit}
`;

export function renderStatusPage(view: StatusView): string {
  const body = [
    `<form class="logout" method="post" action="/admin/logout"><button type="submit">Log out</button></form>`,
    `<h1>AI Gateway status</h1>`,
    `<div class="meta">Version ${escape(view.version)} · ${view.workers.length} worker(s) · ${new Date(view.generatedAt).toISOString()} · refreshes every ${REFRESH_S} s · last 5 minutes</div>`,
    `<div class="cards">${card('In-flight requests', view.inFlightRequests)}${card('Model streams', view.modelStreams)}${card('Workflow streams', view.workflowStreams)}${card('Model endpoints', view.endpoints.length)}</div>`,
    `<h2>Model endpoints</h2>`,
    section(endpointTable(view.endpoints), view.endpoints.length, 'No model calls in this process’s memory yet.'),
    `<h2>Recent errors</h2>`,
    section(errorTable(view), view.recentErrors.length, 'No model errors.'),
    `<h2>Key sources</h2>`,
    section(keySourceTable(view), view.keySources.length, 'No OIDC key sources.'),
    `<h2>Workers</h2>`,
    section(workerTable(view), view.workers.length, 'No worker answered.'),
  ].join('\n');
  return page('AI Gateway status', body, `<meta http-equiv="refresh" content="${REFRESH_S}">`);
}

export function renderLoginPage(message?: string): string {
  const body = `<h1>AI Gateway status</h1>
<form method="post" action="/admin/login" class="card" style="max-width:360px;margin-top:12px">
<label for="token">Admin token</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required style="width:100%;font:inherit;margin:6px 0">
${message ? `<p role="alert" style="color:#cf222e">${escape(message)}</p>` : ''}
<button type="submit">Log in</button>
</form>`;
  return page('Log in · AI Gateway status', body);
}

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">${head}
<title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

const card = (label: string, value: number) => `<div class="card">${escape(label)}<b>${value}</b></div>`;

const section = (table: string, rows: number, empty: string) =>
  `<div class="scroll">${rows > 0 ? table : `<div class="empty">${escape(empty)}</div>`}</div>`;

function endpointTable(endpoints: EndpointView[]): string {
  const rows = endpoints.map(
    (endpoint) => `<tr data-endpoint="${escape(endpoint.endpoint)}">
<td><span class="badge ${endpoint.health}">${endpoint.health}</span></td>
<td class="wrap">${escape(endpoint.endpoint)}<div class="meta">${escape(endpoint.provider)} · ${escape(endpoint.model)}</div></td>
<td>${endpoint.calls}</td><td>${endpoint.errors}</td><td>${endpoint.inFlight}</td>
<td>${ms(endpoint.p50Ms)} / ${ms(endpoint.p95Ms)}</td>
<td>${ms(endpoint.firstTokenP50Ms)} / ${ms(endpoint.firstTokenP95Ms)}</td>
<td>${endpoint.outputTokensPerS.toFixed(1)}</td>
<td>${trendChart(endpoint.trend, `Calls and p95 latency of ${endpoint.model}`)}</td></tr>`,
  );
  return `<table><thead><tr><th>Health</th><th>Endpoint</th><th>Calls</th><th>Errors</th><th>In flight</th>
<th>Latency p50 / p95</th><th>First token p50 / p95</th><th>Output tokens/s</th><th>Calls, p95 (5 min)</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

function errorTable(view: StatusView): string {
  const rows = view.recentErrors.map(
    (error) =>
      `<tr><td>${time(error.at)}</td><td class="wrap">${escape(error.endpoint)}</td><td>${escape(error.model)}</td><td>${escape(error.code)}</td><td class="wrap">${escape(error.summary)}</td></tr>`,
  );
  return `<table><thead><tr><th>Time</th><th>Endpoint</th><th>Model</th><th>Code</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function keySourceTable(view: StatusView): string {
  const rows = view.keySources.map(
    (source) =>
      `<tr><td><span class="badge ${source.reachable ? 'up' : 'down'}">${source.reachable ? 'reachable' : 'unreachable'}</span></td><td class="wrap">${escape(source.origin)}</td><td>${source.keys}</td><td>${escape(source.fetchedAt ?? 'not yet')}</td><td class="wrap">${escape(source.error ?? '')}</td></tr>`,
  );
  return `<table><thead><tr><th>State</th><th>Origin</th><th>Keys</th><th>Fetched</th><th>Error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function workerTable(view: StatusView): string {
  const rows = view.workers.map(
    (worker) =>
      `<tr><td>${worker.workerId}</td><td>${worker.pid}</td><td>${duration(worker.uptimeS)}</td><td>${mib(worker.rssBytes)}</td><td>${mib(worker.heapUsedBytes)}</td><td>${worker.inFlightRequests}</td><td>${worker.workflowStreams}</td></tr>`,
  );
  return `<table><thead><tr><th>Worker</th><th>PID</th><th>Up</th><th>RSS</th><th>Heap</th><th>Requests</th><th>Workflows</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const ms = (value: number | undefined) =>
  value === undefined ? '–' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const time = (at: number) => new Date(at).toISOString().slice(11, 19);
const duration = (seconds: number) =>
  seconds < 3600 ? `${Math.floor(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
