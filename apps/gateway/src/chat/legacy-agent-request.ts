import { AgentMessageDto, ChatAgentRequestDto } from './chat-agent.dto';

/**
 * The request of GitLab 17.0–17.2 (`prompt` beside `options.chat_history`, `options.context`, …) as the
 * `messages` of later versions: one user message holding the question, its page context, current file and
 * extra context. The earlier conversation came as plain text without roles; it is shown to the model ahead of
 * the question. Requests that already carry `messages` are returned as they are.
 */
export function withMessages(body: ChatAgentRequestDto): ChatAgentRequestDto {
  if (body.messages !== undefined || body.prompt == null) return body;
  const options = body.options ?? {};
  const history = (options.chat_history ?? []).filter((line) => line.trim() !== '');
  const content = history.length
    ? `Earlier in this conversation:\n${history.join('\n')}\n\n${body.prompt}`
    : body.prompt;
  const message: AgentMessageDto = {
    role: 'user',
    content,
    context: options.context ?? null,
    current_file: options.current_file ?? null,
    additional_context: options.additional_context ?? null,
  };
  return { ...body, messages: [message] };
}
