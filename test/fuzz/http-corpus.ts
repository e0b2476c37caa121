import { ccBody, CC_FILE } from '../helpers/code-suggestion-bodies';

/** One valid request the mutations start from. */
export interface SeedRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** A valid request for every HTTP route (http-api.md §1–§5), aimed at the stand-in model at `modelUrl`. */
export function httpCorpus(modelUrl: string): SeedRequest[] {
  const metadata = { provider: 'openai', name: 'mistral', endpoint: modelUrl, api_key: 'k' };
  const question = { role: 'user', content: 'What does this do?', context: null, current_file: null };
  const chatComponent = (content: unknown) => ({
    type: 'prompt',
    metadata: { source: 'gitlab', version: '1' },
    payload: { content, provider: 'litellm', model: 'mistral', model_endpoint: modelUrl, model_api_key: 'k' },
  });
  return [
    { method: 'POST', path: '/v2/code/completions', body: ccBody(modelUrl) },
    { method: 'POST', path: '/v2/code/completions', body: ccBody(modelUrl, { stream: true }) },
    {
      method: 'POST',
      path: '/v2/code/completions',
      body: ccBody(modelUrl, {
        context: [{ type: 'file', name: 'b.py', content: 'def sub(a, b): return a - b' }],
        telemetry: [{ model_engine: 'agent', lang: 'python', requests: 1, accepts: 1, errors: 0 }],
      }),
    },
    {
      method: 'POST',
      path: '/v2/code/generations',
      body: ccBody(modelUrl, { prompt_version: 2, prompt: 'Write a sum function', model_name: 'mistral' }),
    },
    {
      method: 'POST',
      path: '/v3/code/completions',
      body: {
        prompt_components: [
          {
            type: 'code_editor_completion',
            payload: {
              file_name: 'a.py',
              content_above_cursor: CC_FILE.content_above_cursor,
              content_below_cursor: '\n',
              language_identifier: 'python',
              model_provider: 'litellm',
              model_name: 'codegemma',
              model_endpoint: modelUrl,
            },
          },
        ],
      },
    },
    {
      method: 'POST',
      path: '/v4/code/suggestions',
      body: {
        prompt_components: [
          {
            type: 'code_editor_generation',
            payload: {
              file_name: 'a.py',
              content_above_cursor: '# sum\n',
              content_below_cursor: '',
              prompt: 'Write a sum function',
              model_provider: 'litellm',
              model_name: 'mistral',
              model_endpoint: modelUrl,
              stream: true,
            },
          },
          { type: 'code_context', payload: { type: 'file', name: 'b.py', content: 'x = 1' } },
        ],
      },
    },
    { method: 'POST', path: '/v1/chat/agent', body: { prompt_components: [chatComponent('Hello')] } },
    {
      method: 'POST',
      path: '/v1/chat/agent',
      body: { prompt_components: [chatComponent([{ role: 'user', content: 'Hi' }])], stream: true },
    },
    { method: 'POST', path: '/v2/chat/agent', body: { messages: [question], model_metadata: metadata } },
    {
      method: 'POST',
      path: '/v1/prompts/chat/explain_code',
      body: { inputs: { content: 'x = 1', file_path: 'a.py' }, model_metadata: metadata },
    },
    {
      method: 'POST',
      path: '/v2/prompts/chat/explain_code',
      body: { inputs: { content: 'x = 1', file_path: 'a.py' }, model_metadata: metadata, stream: true },
    },
    {
      method: 'POST',
      path: '/v1/embeddings/code_embeddings',
      body: { contents: ['def a(): pass'], model_metadata: metadata },
    },
    {
      method: 'POST',
      path: '/v1/search/gitlab-docs',
      body: { type: 'search', metadata: {}, payload: { query: 'ci' } },
    },
    { method: 'POST', path: '/v1/code/user_access_token' },
    { method: 'GET', path: '/monitoring/healthz' },
    { method: 'GET', path: '/monitoring/ready' },
    { method: 'GET', path: '/openapi.json' },
  ];
}
