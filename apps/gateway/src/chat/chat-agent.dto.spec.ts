import { AppError } from '@app/common';
import { createValidationPipe } from '../errors/validation-error.factory';
import { ChatAgentRequestDto } from './chat-agent.dto';

const pipe = createValidationPipe();

/** The 422 issues for one `/v2/chat/agent` message, as `[loc after the message, msg]`. */
async function issuesOf(message: Record<string, unknown>): Promise<Array<[string, string]>> {
  try {
    await pipe.transform({ messages: [message] }, { type: 'body', metatype: ChatAgentRequestDto });
    return [];
  } catch (error) {
    const details = (error as AppError).details as Array<{ loc: Array<string | number>; msg: string }>;
    return details.map(({ loc, msg }) => [loc.slice(3).join('.'), msg]);
  }
}

describe('/v2/chat/agent messages (gitlab-versions.md §1)', () => {
  it.each([
    ['content null', { role: 'assistant', content: null }],
    ['content absent', { role: 'assistant', agent_scratchpad: [{ observation: 'o' }] }],
    ['legacy page context', { role: 'user', content: 'q', context: { type: 'epic', content: 'Epic body' } }],
    ['page context by title', { role: 'user', content: 'q', context: { type: 'commit', title: 'Fix' } }],
    ['build page', { role: 'user', content: 'q', context: { type: 'build' } }],
    [
      'every additional context category',
      {
        role: 'user',
        content: 'q',
        additional_context: [
          'file',
          'snippet',
          'merge_request',
          'issue',
          'dependency',
          'local_git',
          'terminal',
          'repository',
          'directory',
        ].map((category) => ({ category, id: null, content: 'c', metadata: {} })),
      },
    ],
    [
      'a scratchpad step with a typed action',
      {
        role: 'assistant',
        agent_scratchpad: [{ action: { thought: 't', tool: 'issue_reader', tool_input: 'i', type: 'action' } }],
      },
    ],
    [
      'nulls where GitLab sends them',
      { role: 'user', content: 'q', current_file: null, additional_context: null, agent_scratchpad: null },
    ],
  ])('accepts %s', async (_name, message) => {
    expect(await issuesOf(message)).toEqual([]);
  });

  it.each([
    [
      { role: 'user', content: 'q', context: { type: 'pipeline', title: 'x' } },
      'context.type',
      'type must be one of the following values: issue, epic, merge_request, commit, build',
    ],
    [
      { role: 'user', content: 'q', context: { type: 'issue' } },
      'context.title',
      'title must be a string: a page context names its title (before GitLab 17.9, its content)',
    ],
    [{ role: 'user', content: 'q', context: 'issue' }, 'context', 'Input should be a valid dictionary'],
    [
      { role: 'user', content: 'q', additional_context: [{ category: 'wiki' }] },
      'additional_context.0.category',
      'category must be one of the following values: file, snippet, merge_request, issue, dependency, local_git, terminal, repository, directory',
    ],
    [
      { role: 'assistant', agent_scratchpad: [{ action: { thought: 't', tool_input: 'i' } }] },
      'agent_scratchpad.0.action.tool',
      'tool must be a string',
    ],
    [
      {
        role: 'assistant',
        agent_scratchpad: [{ action: { thought: 't', tool: 'x', tool_input: 'i', type: 'finish' } }],
      },
      'agent_scratchpad.0.action.type',
      'type must be equal to action',
    ],
    [
      { role: 'assistant', agent_scratchpad: [[]] },
      'agent_scratchpad',
      'each value in agent_scratchpad must be an object',
    ],
    [{ role: 'user', content: 42 }, 'content', 'content must be a string'],
  ])('refuses %j naming %s', async (message, loc, msg) => {
    expect(await issuesOf(message)).toEqual([[loc, msg]]);
  });
});
