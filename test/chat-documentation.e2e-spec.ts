import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocsIndex } from '../apps/gateway/src/docs-search/docs-index-builder';
import { FIXTURE_DOCS, searchBody } from './helpers/docs-fixture';
import { useGatewayStack } from './helpers/gateway-stack';

interface AgentEvent {
  type: string;
  data: Record<string, string>;
}

/**
 * Done-when of issue 16: a Duo Chat question answered from the documentation, driven as GitLab Rails drives it.
 * Step 1: `/v2/chat/agent` answers with the `gitlab_documentation` action. Rails then runs the tool, which is
 * `POST /v1/search/gitlab-docs`. Step 2: `/v2/chat/agent` again, the observation in the scratchpad (the
 * `options.agent_scratchpad` shape every GitLab version accepts), streams the final answer.
 */
describe('Duo Chat answers a documentation question end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-docs-'));
    buildDocsIndex({ docRoot: FIXTURE_DOCS, out: join(dir, 'docs.db'), gitlabVersion: 'v18.1.0-ee' });
  });
  const stack = useGatewayStack({ env: () => ({ AIGW_DOCS_SEARCH__INDEX_PATH: join(dir, 'docs.db') }) });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const post = (path: string, body: unknown) =>
    stack.post(path, body, stack.headers(['duo_chat', 'documentation_search'], { 'x-gitlab-version': '18.1.0' }));
  const events = async (response: Response) =>
    (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AgentEvent);
  const question = 'How do I rotate a runner token?';
  const agentBody = (extra: Record<string, unknown> = {}) => ({
    messages: [{ role: 'user', content: question }],
    model_metadata: { provider: 'openai', name: 'mistral', endpoint: stack.model.url, api_key: 'k' },
    ...extra,
  });

  it('asks for the documentation tool, gets documentation from the search endpoint, and streams the answer from it', async () => {
    stack.model.script({
      text: 'The documentation explains runner tokens.\nAction: gitlab_documentation\nAction Input: rotate a runner authentication token',
    });
    const first = await events(await post('/v2/chat/agent', agentBody()));
    expect(first).toEqual([
      {
        type: 'action',
        data: {
          tool: 'gitlab_documentation',
          tool_input: 'rotate a runner authentication token',
          thought: 'The documentation explains runner tokens.',
        },
      },
    ]);

    const search = await post('/v1/search/gitlab-docs', searchBody(first[0].data.tool_input));
    expect(search.status).toBe(200);
    const { results } = ((await search.json()) as any).response as { results: Array<{ id: string; content: string }> };
    expect(results[0].id).toBe('/ci/runners/runner_tokens.md');
    const observation = results.map((result) => result.content).join('\n\n');

    stack.model.script({
      chunks: ['Final Answer: Select **Reset token**', ' on the runner, then update config.toml.'],
    });
    const seen = stack.model.requests.length;
    const step = { ...first[0].data, observation };
    const second = await post(
      '/v2/chat/agent',
      agentBody({ options: { agent_scratchpad: { agent_type: 'react', steps: [step] } } }),
    );
    expect(second.status).toBe(200);
    expect(await events(second)).toEqual([
      { type: 'final_answer_delta', data: { text: 'Select **Reset token**' } },
      { type: 'final_answer_delta', data: { text: ' on the runner, then update config.toml.' } },
    ]);
    const prompt = JSON.stringify(stack.model.requests[seen].body.messages);
    expect(prompt).toContain('Action: gitlab_documentation');
    expect(prompt).toContain('Select **Reset token** and confirm.');
  });
});
