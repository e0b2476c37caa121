import { FastifyReply, FastifyRequest } from 'fastify';

/**
 * `X-Gitlab-*` request headers copied into the access log as `gitlab_*` (http-api.md §5.4), with those GitLab
 * sends since 17.9 (gitlab-versions.md §7). None is required.
 */
const GITLAB_HEADERS = [
  'language-server-version',
  'instance-id',
  'global-user-id',
  'host-name',
  'version',
  'saas-duo-pro-namespace-ids',
  'feature-enabled-by-namespace-ids',
  'realm',
  'duo-seat-count',
  'feature-enablement-type',
  'model-prompt-cache-enabled',
  'client-type',
  'client-version',
  'client-name',
  'interface',
  'namespace-id',
  'root-namespace-id',
  'deployment-type',
  'organization-id',
  'user-id',
  'enabled-instance-verbose-ai-logs',
].map((name) => ({ header: `x-gitlab-${name}`, field: `gitlab_${name.replace(/-/g, '_')}` }));

/** The access-log fields of http-api.md §5.4 that apply to this server. */
export function accessLogFields(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const now = process.hrtime.bigint();
  const durationS = Number(now - request.arrivedAt) / 1e9;
  const fields: Record<string, unknown> = {
    logger: 'api.access',
    correlation_id: request.id,
    url: `${request.protocol}://${request.host}${request.url}`,
    path: request.url.split('?')[0],
    status_code: reply.statusCode,
    method: request.method,
    http_version: request.raw.httpVersion,
    client_ip: request.socket.remoteAddress,
    client_port: request.socket.remotePort,
    duration_s: durationS,
    request_arrived_at: new Date(Date.now() - durationS * 1000).toISOString(),
    response_start_duration_s: Number(reply.getHeader('x-process-time') ?? durationS),
    content_type: reply.getHeader('content-type'),
    user_agent: request.headers['user-agent'],
  };
  const railsSendStart = Number(request.headers['x-gitlab-rails-send-start']);
  if (Number.isFinite(railsSendStart) && railsSendStart > 0) {
    fields.duration_request = Date.now() / 1000 - railsSendStart;
  }
  for (const { header, field } of GITLAB_HEADERS) {
    const value = request.headers[header];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}
