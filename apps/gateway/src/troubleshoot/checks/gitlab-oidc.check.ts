import { Check, CheckResult, fail, pass, skip } from '../check';
import { describeNetworkFailure, HttpProbe } from '../http-probe';

const TIMEOUT_S = 10;

/**
 * The gateway trusts tokens signed by keys GitLab publishes through OpenID Connect discovery
 * (http-api.md §1.3): discovery document, then its `jwks_uri`, with the same CA bundle and redirect handling
 * as the gateway's key fetcher (libs/auth, not exported).
 */
export const gitlabOidcCheck: Check = async ({ config, http }) => {
  if (!config)
    return [skip('GitLab is reachable and publishes its signing keys', 'the configuration does not validate')];
  return Promise.all(config.gitlabUrl.map((url) => checkInstance(http, url)));
};

async function checkInstance(http: HttpProbe, gitlabUrl: string): Promise<CheckResult> {
  const title = `GitLab ${gitlabUrl} is reachable and publishes its signing keys`;
  // As the gateway's key fetcher does: from the origin, whatever path the URL has.
  const discoveryUrl = new URL('/.well-known/openid-configuration', gitlabUrl).toString();
  const discovery = await getJson(http, discoveryUrl);
  if ('failure' in discovery) return fail(title, discovery.failure, discovery.fix);
  const jwksUri = (discovery.json as { jwks_uri?: unknown }).jwks_uri;
  if (typeof jwksUri !== 'string') {
    return fail(
      title,
      `${discoveryUrl} has no jwks_uri`,
      'AIGW_GITLAB_URL must be the root URL of the GitLab instance (its external_url).',
    );
  }
  const jwks = await getJson(http, jwksUri);
  if ('failure' in jwks) return fail(title, jwks.failure, jwks.fix);
  const keys = (jwks.json as { keys?: Array<{ kty?: string }> }).keys ?? [];
  const rsaKeys = keys.filter((key) => key.kty === 'RSA').length;
  if (rsaKeys === 0) {
    return fail(
      title,
      `${jwksUri} lists no RSA keys`,
      'GitLab publishes no key to verify its tokens with; check the instance’s OpenID Connect signing key.',
    );
  }
  return pass(title, `${rsaKeys} RSA key(s) at ${jwksUri}`);
}

type JsonOutcome = { json: unknown } | { failure: string; fix: string };

async function getJson(http: HttpProbe, url: string): Promise<JsonOutcome> {
  let response;
  try {
    response = await http.send(url, { timeoutS: TIMEOUT_S, followRedirects: true });
  } catch (error) {
    const { reason, fix } = describeNetworkFailure(error, url);
    return { failure: `${url}: ${reason}`, fix };
  }
  if (response.status !== 200) {
    return {
      failure: `${url} answered HTTP ${response.status}`,
      fix: 'AIGW_GITLAB_URL must be the root URL of the GitLab instance (its external_url), reachable from the gateway.',
    };
  }
  try {
    return { json: JSON.parse(response.body) };
  } catch {
    return {
      failure: `${url} did not answer JSON`,
      fix: 'A proxy may answer in GitLab’s place; check AIGW_GITLAB_URL.',
    };
  }
}
