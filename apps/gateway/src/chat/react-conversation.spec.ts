import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { ErrorCode } from '@app/common';
import { projectRoot } from '../project-root';
import { loadPromptDefinitions } from '../prompts/prompt-loader';
import { PromptRegistry } from '../prompts/prompt-registry';
import { PROMPT_DEFINITIONS_DIR } from '../prompts/prompts.module';
import { ChatAgentRequestDto } from './chat-agent.dto';
import { CHAT_TOOLS } from './chat-tools';
import { assertScratchpadRoles, currentScratchpad, invalidConversation, reactConversation } from './react-conversation';

const registry = new PromptRegistry(loadPromptDefinitions(join(projectRoot(), PROMPT_DEFINITIONS_DIR)), {});
const request = (body: object) => plainToInstance(ChatAgentRequestDto, body);
const MONDAY = new Date(2026, 11, 7, 10);
const ISSUE_STEP = {
  action: { thought: 'I need the issue', tool: 'issue\\_reader', tool_input: 'issue #1', type: 'action' },
  observation: 'Issue #1: login fails',
};

describe('ReAct conversation (gitlab-versions.md §1)', () => {
  describe(assertScratchpadRoles.name, () => {
    it('refuses a scratchpad on a user message with 400 and the exact text', () => {
      const body = request({ messages: [{ role: 'user', content: 'hi', agent_scratchpad: [] }] });
      expect(() => assertScratchpadRoles(body.messages)).toThrow(
        expect.objectContaining({
          code: ErrorCode.BadRequest,
          message: 'agent_scratchpad can only be present when role is ASSISTANT',
        }),
      );
    });

    it('accepts null scratchpads on user messages and scratchpads on assistant ones', () => {
      const body = request({
        messages: [
          { role: 'user', content: 'hi', agent_scratchpad: null },
          { role: 'assistant', content: null, agent_scratchpad: [ISSUE_STEP] },
        ],
      });
      expect(() => assertScratchpadRoles(body.messages)).not.toThrow();
    });
  });

  describe(currentScratchpad.name, () => {
    it('takes options.agent_scratchpad.steps when options is sent (GitLab < 17.9)', () => {
      const step = { thought: 't', tool: 'issue_reader', tool_input: 'i', observation: 'o' };
      const body = request({
        messages: [{ role: 'user', content: 'q' }],
        options: { agent_scratchpad: { agent_type: 'react', steps: [step] } },
      });
      expect(currentScratchpad(body)).toEqual([step]);
    });

    it('takes the steps with an action of a last assistant message without content, underscores unescaped', () => {
      const body = request({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', agent_scratchpad: [ISSUE_STEP, { observation: 'no action' }] },
        ],
      });
      expect(currentScratchpad(body)).toEqual([
        {
          thought: 'I need the issue',
          tool: 'issue_reader',
          tool_input: 'issue #1',
          type: 'action',
          observation: 'Issue #1: login fails',
        },
      ]);
    });

    it('has no scratchpad when the last message is a finished answer or a question', () => {
      expect(currentScratchpad(request({ messages: [{ role: 'user', content: 'q' }] }))).toEqual([]);
      const answered = request({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a', agent_scratchpad: [ISSUE_STEP] },
        ],
      });
      expect(currentScratchpad(answered)).toEqual([]);
    });
  });

  describe(invalidConversation.name, () => {
    it('judges the last message after skipping assistant messages without content', () => {
      const continuation = request({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: null, agent_scratchpad: [] },
        ],
      });
      expect(invalidConversation(continuation.messages)).toBeUndefined();
      const answered = request({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a' },
        ],
      });
      expect(invalidConversation(answered.messages)).toBe('Last message must be a human message');
      const system = request({
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'q' },
        ],
      });
      expect(invalidConversation(system.messages)).toBe('Unsupported message');
    });
  });

  describe(reactConversation.name, () => {
    const prompt = registry.resolve('chat/react', 'mistral');

    it('renders the second step of an 18.x chat: history with observations, page by title, scratchpad prefill', () => {
      const body = request({
        messages: [
          { role: 'user', content: 'earlier question' },
          { role: 'assistant', content: 'earlier answer', agent_scratchpad: [ISSUE_STEP] },
          { role: 'user', content: 'plain question' },
          { role: 'assistant', content: 'plain answer' },
          { role: 'user', content: 'What is this issue about?', context: { type: 'issue', title: 'Login fails' } },
          { role: 'assistant', content: null, agent_scratchpad: [ISSUE_STEP] },
        ],
      });
      const messages = reactConversation(prompt, body, [...CHAT_TOOLS], MONDAY);
      expect(messages.map((message) => message.role)).toEqual([
        'system',
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
      expect(messages[0].content).toContain('Today is Monday, December, 07, 2026.');
      expect(messages[2].content).toBe('Observation: Issue #1: login fails\nFinal Answer: earlier answer');
      expect(messages[4].content).toBe('plain answer');
      expect(messages[5].content).toContain("The user is on the issue 'Login fails'.");
      expect(messages[5].content.endsWith('What is this issue about?')).toBe(true);
      expect(messages[6].content).toBe(
        'Thought: Thought: I need the issue\nAction: issue_reader\nAction Input: issue #1\nObservation: Issue #1: login fails',
      );
    });

    it('renders the legacy {type, content} context and the build page', () => {
      const legacy = request({
        messages: [{ role: 'user', content: 'q', context: { type: 'issue', content: 'Issue body' } }],
      });
      expect(reactConversation(prompt, legacy, [], MONDAY)[1].content).toContain(
        '<context>\n<type>issue</type>\n<content>Issue body</content>\n</context>',
      );
      const build = request({ messages: [{ role: 'user', content: 'why?', context: { type: 'build' } }] });
      expect(reactConversation(prompt, build, [], MONDAY)[1].content).toContain(
        'The user is on a CI job (build) page.',
      );
      const mergeRequest = request({
        messages: [{ role: 'user', content: 'q', context: { type: 'merge_request', title: 'Add cache' } }],
      });
      expect(reactConversation(prompt, mergeRequest, [], MONDAY)[1].content).toContain(
        "The user is on the merge request 'Add cache'.",
      );
    });
  });
});
