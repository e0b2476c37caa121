import { Injectable } from '@nestjs/common';
import { Identity } from '@app/auth';
import { ChatMessage, MODEL_FAMILIES, ModelRequest, ModelService, ModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { modelMetadataTarget } from '../prompts/custom-models';
import { ModelExchangeLogger } from '../prompts/model-exchange-logger';
import { PromptDefinition } from '../prompts/prompt-definition';
import { PromptRegistry } from '../prompts/prompt-registry';
import { AgentEvent, errorEvent, toNdjsonLine } from './agent-event';
import { AgentMessageDto, ChatAgentRequestDto } from './chat-agent.dto';
import { availableTools, ChatTool } from './chat-tools';
import { parseReactOutput } from './react-output-parser';

const REACT_PROMPT_ID = 'chat/react';

/** One step of the Duo Chat ReAct agent (http-api.md §3.2), as NDJSON lines. */
@Injectable()
export class ReactAgentService {
  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelService,
    private readonly config: AppConfig,
    private readonly exchangeLog: ModelExchangeLogger,
  ) {}

  /**
   * Streams the step's events. Never throws: failures become an `error` event. Yields nothing when no model
   * can serve the request (no or unknown family, custom models disabled).
   */
  async *run(body: ChatAgentRequestDto, identity: Identity | undefined, signal: AbortSignal): AsyncGenerator<string> {
    const metadata = body.model_metadata;
    if (!metadata || !this.config.customModels.enabled || !Object.hasOwn(MODEL_FAMILIES, metadata.name)) return;
    const invalid = invalidConversation(body.messages);
    if (invalid) {
      yield toNdjsonLine(errorEvent(invalid));
      return;
    }
    const prompt = this.registry.resolve(REACT_PROMPT_ID, metadata.name);
    const tools = availableTools(identity);
    const messages = conversation(prompt, body, tools);
    const target = modelMetadataTarget(metadata);
    this.exchangeLog.logRequest(identity, REACT_PROMPT_ID, messages);
    for await (const event of this.events(target, { ...prompt.params, messages, signal }, tools, identity)) {
      yield toNdjsonLine(event);
    }
  }

  /** Final answer deltas as soon as they grow; otherwise the last parse once the model is done. */
  private async *events(
    target: ModelTarget,
    request: ModelRequest,
    tools: ChatTool[],
    identity: Identity | undefined,
  ): AsyncGenerator<AgentEvent> {
    let text = '';
    let answered = '';
    try {
      for await (const chunk of this.models.stream(target, request, { featureCategory: 'duo_chat' })) {
        if (chunk.type !== 'text') continue;
        text += chunk.text;
        const parse = parseReactOutput(text);
        if (parse.kind !== 'final_answer' || parse.text.length <= answered.length) continue;
        yield { type: 'final_answer_delta', data: { text: parse.text.slice(answered.length) } };
        answered = parse.text;
      }
    } catch (error) {
      if (request.signal?.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      yield errorEvent(message, message.includes('overloaded_error'));
      return;
    }
    this.exchangeLog.logResponse(identity, REACT_PROMPT_ID, text);
    const last = parseReactOutput(text);
    if (last.kind === 'final_answer') return;
    if (last.kind === 'unknown') {
      yield { type: 'unknown', data: { text } };
    } else if (!tools.some((tool) => tool.name === last.tool)) {
      yield errorEvent('tool not available');
    } else {
      yield { type: 'action', data: { tool: last.tool, tool_input: last.toolInput, thought: last.thought } };
    }
  }
}

/** The contract's two conversation errors, reported as `error` events once streaming has begun. */
function invalidConversation(messages: AgentMessageDto[]): string | undefined {
  if (messages.some((message) => message.role === 'system')) return 'Unsupported message';
  if (messages[messages.length - 1]?.role !== 'user') return 'Last message must be a human message';
  return undefined;
}

/** System prompt, the conversation with user turns rendered around their context, then the assistant prefill. */
function conversation(prompt: PromptDefinition, body: ChatAgentRequestDto, tools: ChatTool[]): ChatMessage[] {
  const inputs = {
    tools: tools.map(({ name, description, example }) => ({ name, description, example })),
    unavailable_resources: body.unavailable_resources,
    agent_scratchpad: body.options?.agent_scratchpad?.steps ?? [],
  };
  const turns = body.messages.map((message): ChatMessage =>
    message.role === 'user'
      ? { role: 'user', content: prompt.renderRole('user', { ...inputs, message }) ?? message.content }
      : { role: 'assistant', content: message.content },
  );
  return [
    { role: 'system', content: prompt.renderRole('system', inputs) ?? '' },
    ...turns,
    { role: 'assistant', content: prompt.renderRole('assistant', inputs) ?? '' },
  ];
}
