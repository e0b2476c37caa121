import { AppError, ErrorCode } from '@app/common';
import { ChatMessage } from '@app/models';
import { PromptDefinition } from '../prompts/prompt-definition';
import { formatDate } from '../python-compat/python-date';
import { AgentMessageDto, ChatAgentRequestDto } from './chat-agent.dto';
import { ChatTool } from './chat-tools';

/** A step the model took earlier in this answer, as the prompt's scratchpad shows it. */
export interface ScratchpadStep {
  thought: string;
  tool: string;
  tool_input: string;
  observation: string;
}

/** `current_date` of the ReAct system prompt (gitlab-versions.md §1). */
const CURRENT_DATE_FORMAT = '%A, %B, %d, %Y';

/** 400 before streaming: only assistant messages carry a scratchpad (gitlab-versions.md §1). */
export function assertScratchpadRoles(messages: AgentMessageDto[]): void {
  if (messages.some((message) => message.agent_scratchpad != null && message.role !== 'assistant')) {
    throw new AppError(ErrorCode.BadRequest, 'agent_scratchpad can only be present when role is ASSISTANT');
  }
}

/**
 * The scratchpad of this step (gitlab-versions.md §1): `options.agent_scratchpad.steps` when `options` is sent
 * (GitLab < 17.9); else the steps with an action of a last assistant message without content.
 */
export function currentScratchpad(body: ChatAgentRequestDto): ScratchpadStep[] {
  if (body.options) return body.options.agent_scratchpad?.steps ?? [];
  const last = body.messages.at(-1);
  if (last?.role !== 'assistant' || last.content != null) return [];
  return (last.agent_scratchpad ?? []).flatMap((step) =>
    step.action ? [{ ...step.action, observation: step.observation ?? '' }] : [],
  );
}

/** Assistant messages without content hold a running step's scratchpad; they are not part of the history. */
const isHistory = (message: AgentMessageDto) => !(message.role === 'assistant' && message.content == null);

/** The contract's two conversation errors, reported as `error` events once streaming has begun (http-api.md §3.2). */
export function invalidConversation(messages: AgentMessageDto[]): string | undefined {
  const history = messages.filter(isHistory);
  if (history.some((message) => message.role === 'system')) return 'Unsupported message';
  if (history.at(-1)?.role !== 'user') return 'Last message must be a human message';
  return undefined;
}

/**
 * System prompt, the history with user turns rendered around their context, then the assistant prefill with
 * this step's scratchpad. An earlier answer that used tools shows one `Observation:` line per step, then
 * `Final Answer:` and its text (gitlab-versions.md §1).
 */
export function reactConversation(
  prompt: PromptDefinition,
  body: ChatAgentRequestDto,
  tools: ChatTool[],
  now: Date,
): ChatMessage[] {
  const inputs = {
    tools: tools.map(({ name, description, example }) => ({ name, description, example })),
    unavailable_resources: body.unavailable_resources,
    current_date: formatDate(now, CURRENT_DATE_FORMAT),
    agent_scratchpad: currentScratchpad(body),
  };
  const turns = body.messages
    .filter(isHistory)
    .map((message): ChatMessage =>
      message.role === 'user'
        ? { role: 'user', content: prompt.renderRole('user', { ...inputs, message }) ?? message.content ?? '' }
        : { role: 'assistant', content: historyAnswer(message) },
    );
  return [
    { role: 'system', content: prompt.renderRole('system', inputs) ?? '' },
    ...turns,
    { role: 'assistant', content: prompt.renderRole('assistant', inputs) ?? '' },
  ];
}

function historyAnswer(message: AgentMessageDto): string {
  const steps = message.agent_scratchpad ?? [];
  if (steps.length === 0) return message.content ?? '';
  const observations = steps.map((step) => `Observation: ${step.observation ?? ''}`);
  return [...observations, `Final Answer: ${message.content ?? ''}`].join('\n');
}
