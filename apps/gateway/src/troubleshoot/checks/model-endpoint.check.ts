import { Check, fail, pass, skip, warn } from '../check';
import { describeNetworkFailure } from '../http-probe';

const TITLE = 'Model endpoint is reachable';
const TIMEOUT_S = 10;

/** `GET <endpoint>/models`, which OpenAI-compatible servers (vLLM, Ollama, LiteLLM) answer with their models. */
export const modelEndpointCheck: Check = async ({ options, http }) => {
  const { modelEndpoint, modelKey, modelIdentifier } = options;
  if (!modelEndpoint) return [skip(TITLE, 'no --model-endpoint given')];
  if (!/^https?:\/\/[^/]/.test(modelEndpoint)) {
    return [
      fail(
        TITLE,
        `${modelEndpoint} is not an http(s) URL`,
        'Pass the base URL GitLab has for the model, e.g. http://vllm:8000/v1.',
      ),
    ];
  }

  const url = `${modelEndpoint.replace(/\/+$/, '')}/models`;
  let response;
  try {
    response = await http.send(url, {
      timeoutS: TIMEOUT_S,
      headers: modelKey ? { authorization: `Bearer ${modelKey}` } : {},
    });
  } catch (error) {
    const { reason, fix } = describeNetworkFailure(error, url);
    return [fail(TITLE, `${modelEndpoint}: ${reason}`, fix)];
  }
  if (response.status === 401 || response.status === 403) {
    return [
      fail(
        TITLE,
        `${url} answered HTTP ${response.status}: the API key was refused`,
        'Pass the key GitLab has for this model with --model-key.',
      ),
    ];
  }
  if (response.status !== 200) {
    return [pass(TITLE, `${url} answered HTTP ${response.status} (this server does not list its models)`)];
  }

  const served = modelIds(response.body);
  const wanted = modelIdentifier?.slice(modelIdentifier.indexOf('/') + 1);
  if (wanted && served.length > 0 && !served.includes(wanted)) {
    return [
      warn(
        TITLE,
        `the server serves ${served.join(', ')}, not ${wanted}`,
        `Set the model identifier in GitLab to custom_openai/<one of: ${served.join(', ')}>.`,
      ),
    ];
  }
  return [pass(TITLE, served.length > 0 ? `serves ${served.join(', ')}` : `${url} answered HTTP 200`)];
};

function modelIds(body: string): string[] {
  try {
    const { data } = JSON.parse(body) as { data?: Array<{ id?: unknown }> };
    return (data ?? []).map((model) => model.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}
