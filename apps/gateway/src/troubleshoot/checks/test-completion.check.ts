import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config';
import { Check, CheckResult, fail, pass, skip, TroubleshootContext, warn } from '../check';
import { describeNetworkFailure, ProbeResponse } from '../http-probe';
import { signUserToken, TROUBLESHOOT_IDENTITY } from '../user-token';

const TITLE = 'Test completion through the gateway';
/** The model call itself may take 60 s (http-api.md §6.3). */
const TIMEOUT_S = 90;

/**
 * A real code completion sent through the running gateway, so the family's own prompt template
 * (`code_suggestions/completions/<family>`, http-api.md §6.3), the provider and the model are exercised
 * together, exactly as GitLab's requests are. Upstream's script posts to `/v2/code/generations` and needs
 * the auth bypass; `/v2/code/completions` accepts a user token, which we sign with the gateway's own key
 * when this environment has it, so a production gateway can be tested without weakening its auth.
 */
export const testCompletionCheck: Check = async (context) => {
  const { modelName, modelEndpoint } = context.options;
  if (!modelName || !modelEndpoint) return [skip(TITLE, 'pass --model-name and --model-endpoint to run one')];
  if (!context.gatewayReachable) return [skip(TITLE, 'the gateway does not answer (see above)')];

  const requestId = `troubleshoot-${randomUUID()}`;
  const auth = authHeaders(context.config);
  const url = `${context.options.endpoint}/v2/code/completions`;
  let response: ProbeResponse;
  try {
    response = await context.http.send(url, {
      method: 'POST',
      timeoutS: TIMEOUT_S,
      headers: { 'x-request-id': requestId, ...auth.headers },
      json: completionRequest(context),
    });
  } catch (error) {
    const { reason, fix } = describeNetworkFailure(error, url);
    return [fail(TITLE, reason, fix)];
  }
  return [judge(response, modelName, requestId, auth.mode)];
};

function completionRequest({ options }: TroubleshootContext) {
  return {
    prompt_version: 2,
    prompt: null,
    model_provider: 'litellm',
    model_name: options.modelName,
    model_endpoint: options.modelEndpoint,
    model_api_key: options.modelKey ?? null,
    model_identifier: options.modelIdentifier ?? null,
    project_path: 'troubleshoot/hello',
    current_file: {
      file_name: 'hello.py',
      language_identifier: 'python',
      content_above_cursor: 'def hello_world():\n    ',
      content_below_cursor: '\n',
    },
    stream: false,
    context: [],
  };
}

function authHeaders(config: AppConfig | undefined): { mode: string; headers: Record<string, string> } {
  const signingKey = config?.selfSignedJwt.signingKey;
  if (!config || !signingKey) return { mode: 'sent with Bypass-Auth: true', headers: { 'bypass-auth': 'true' } };
  return {
    mode: 'authenticated with a token signed by AIGW_SELF_SIGNED_JWT__SIGNING_KEY',
    headers: {
      authorization: `Bearer ${signUserToken(signingKey, config.cloudConnectorServiceName)}`,
      'x-gitlab-authentication-type': 'oidc',
      'x-gitlab-global-user-id': TROUBLESHOOT_IDENTITY.userId,
      'x-gitlab-instance-id': TROUBLESHOOT_IDENTITY.instanceId,
      'x-gitlab-realm': TROUBLESHOOT_IDENTITY.realm,
    },
  };
}

function judge(response: ProbeResponse, family: string, requestId: string, authMode: string): CheckResult {
  const body = response.body.slice(0, 500);
  if (response.status === 401) {
    return fail(
      TITLE,
      `HTTP 401 ${body} (${authMode})`,
      'Run this with the gateway’s AIGW_SELF_SIGNED_JWT__SIGNING_KEY in the environment (e.g. inside its container), ' +
        'or start the gateway with AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER=true while troubleshooting only.',
    );
  }
  if (response.status === 422) {
    return fail(
      TITLE,
      `HTTP 422 ${body}`,
      `Check that ${family} is a supported family (--model-name) and --model-endpoint is a URL.`,
    );
  }
  if (response.status !== 200) {
    return fail(
      TITLE,
      `HTTP ${response.status} ${body}`,
      `The gateway got no usable answer from the model; its log has the cause under correlation_id ${requestId}.`,
    );
  }
  const text = completionText(response.body);
  if (!text) {
    return warn(
      TITLE,
      'the model returned no text',
      `Check that the model served is of the ${family} family: its prompt format must fit.`,
    );
  }
  return pass(
    TITLE,
    `${family} completed "def hello_world():" with ${JSON.stringify(text.slice(0, 80))} (${authMode})`,
  );
}

function completionText(body: string): string {
  try {
    const { choices } = JSON.parse(body) as { choices?: Array<{ text?: string }> };
    return choices?.[0]?.text ?? '';
  } catch {
    return '';
  }
}
