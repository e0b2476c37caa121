/** The file of http-api.md §10's "CC" body: the cursor inside a Python `add` function. */
export const CC_FILE = {
  file_name: 'a.py',
  content_above_cursor: 'def add(a, b):\n    ',
  content_below_cursor: '\n',
};

/** http-api.md §10's "CC" body: a `/v2/code/completions` request for a self-hosted codegemma at `modelUrl`. */
export const ccBody = (modelUrl: string, overrides: Record<string, unknown> = {}) => ({
  prompt_version: 2,
  prompt: null,
  model_provider: 'litellm',
  model_name: 'codegemma',
  model_endpoint: modelUrl,
  model_api_key: 'k',
  current_file: CC_FILE,
  ...overrides,
});
