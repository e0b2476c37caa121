import { IncomingMessage, ServerResponse } from 'node:http';
import { AdminSessions, sessionOf } from './admin-session';
import { probeEndpoint } from './endpoint-probe';
import { renderLoginPage, renderStatusPage } from './status-page';
import { buildStatusView } from './status-view';
import { WorkerStatus } from './worker-status';

const MAX_FORM_BYTES = 4096;

const LOGIN_ERRORS: Record<string, string> = {
  token: 'Wrong token.',
  locked: 'Too many wrong tokens; wait a minute.',
};

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Answers `/admin/*` on the metrics listener; returns false for other paths (they stay Prometheus'). */
export type AdminRoutes = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * `/admin/status` behind the admin token: a login form that opens a session cookie (a phone browser cannot
 * send a bearer header), or `Authorization: Bearer <token>`. `statuses` yields every worker's figures.
 */
export function adminRoutes(token: string, statuses: () => Promise<WorkerStatus[]>): AdminRoutes {
  const sessions = new AdminSessions(token);
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/admin' && !path.startsWith('/admin/')) return false;
    const reply = (status: number, html: string, headers: Record<string, string> = {}) =>
      response.writeHead(status, { ...SECURITY_HEADERS, ...headers }).end(html);
    const redirect = (location: string, headers: Record<string, string> = {}) =>
      response.writeHead(303, { location, 'cache-control': 'no-store', ...headers }).end();

    if (path === '/admin/login' && request.method === 'POST') {
      readForm(request).then(
        (form) => {
          // Post/redirect/get: a refused login lands on the form again, with the reason.
          if (sessions.lockedOut) return redirect('/admin/login?error=locked');
          if (!sessions.isToken(form.get('token') ?? '')) {
            sessions.noteFailure();
            return redirect('/admin/login?error=token');
          }
          redirect('/admin/status', { 'set-cookie': sessions.cookie(sessions.open(), isHttps(request)) });
        },
        () => reply(413, renderLoginPage('The form was too large.')),
      );
      return true;
    }
    if (path === '/admin/login') {
      const error = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('error');
      reply(200, renderLoginPage(error ? (LOGIN_ERRORS[error] ?? LOGIN_ERRORS.token) : undefined));
      return true;
    }
    if (path === '/admin/logout' && request.method === 'POST') {
      sessions.close(sessionOf(request));
      redirect('/admin/login', {
        'set-cookie': sessions.cookie('', isHttps(request)).replace(/Max-Age=\d+/, 'Max-Age=0'),
      });
      return true;
    }
    if (!sessions.isAuthorised(request)) {
      if (request.headers.authorization) reply(401, renderLoginPage('Wrong token.'));
      else redirect('/admin/login');
      return true;
    }
    if (path !== '/admin/status' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      reply(404, renderLoginPage('No such page.'));
      return true;
    }
    renderStatus(statuses).then(
      (html) => reply(200, html),
      () => reply(500, renderLoginPage('Could not collect the status.')),
    );
    return true;
  };
}

async function renderStatus(statuses: () => Promise<WorkerStatus[]>): Promise<string> {
  const workers = await statuses();
  const endpoints = new Set(workers.flatMap((worker) => worker.models.endpoints.map((endpoint) => endpoint.endpoint)));
  const probes = new Map(
    await Promise.all([...endpoints].map(async (endpoint) => [endpoint, await probeEndpoint(endpoint)] as const)),
  );
  return renderStatusPage(buildStatusView(workers, probes));
}

function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        request.destroy();
        reject(new Error('form too large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
  });
}

const isHttps = (request: IncomingMessage) =>
  request.headers['x-forwarded-proto'] === 'https' || 'encrypted' in request.socket;
