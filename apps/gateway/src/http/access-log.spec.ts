import { FastifyReply, FastifyRequest } from 'fastify';
import { accessLogFields } from './access-log';

const requestWith = (headers: Record<string, string>) =>
  ({
    id: 'abc',
    url: '/v2/chat/agent',
    protocol: 'http',
    host: 'gateway',
    method: 'POST',
    headers,
    raw: { httpVersion: '1.1' },
    socket: { remoteAddress: '127.0.0.1', remotePort: 1234 },
    arrivedAt: process.hrtime.bigint(),
  }) as unknown as FastifyRequest;
const reply = { statusCode: 200, getHeader: () => undefined } as unknown as FastifyReply;

describe(accessLogFields.name, () => {
  it('logs the X-Gitlab headers GitLab sends since 17.9 (gitlab-versions.md §7)', () => {
    const fields = accessLogFields(
      requestWith({
        'x-gitlab-feature-enablement-type': 'add_on',
        'x-gitlab-model-prompt-cache-enabled': 'true',
        'x-gitlab-client-type': 'vscode',
        'x-gitlab-client-version': '6.40.0',
        'x-gitlab-client-name': 'gitlab-vscode-extension',
        'x-gitlab-interface': 'duo_chat',
        'x-gitlab-namespace-id': '7',
        'x-gitlab-root-namespace-id': '3',
        'x-gitlab-deployment-type': 'self-managed',
        'x-gitlab-organization-id': '1',
        'x-gitlab-user-id': '42',
        'x-gitlab-enabled-instance-verbose-ai-logs': 'false',
      }),
      reply,
    );
    expect(fields).toMatchObject({
      gitlab_feature_enablement_type: 'add_on',
      gitlab_model_prompt_cache_enabled: 'true',
      gitlab_client_type: 'vscode',
      gitlab_client_version: '6.40.0',
      gitlab_client_name: 'gitlab-vscode-extension',
      gitlab_interface: 'duo_chat',
      gitlab_namespace_id: '7',
      gitlab_root_namespace_id: '3',
      gitlab_deployment_type: 'self-managed',
      gitlab_organization_id: '1',
      gitlab_user_id: '42',
      gitlab_enabled_instance_verbose_ai_logs: 'false',
    });
  });

  it('leaves out headers that were not sent', () => {
    const fields = accessLogFields(requestWith({ 'x-gitlab-realm': 'self-managed' }), reply);
    expect(fields.gitlab_realm).toBe('self-managed');
    expect(Object.keys(fields).filter((key) => key.startsWith('gitlab_'))).toEqual(['gitlab_realm']);
  });
});
