import { Injectable } from '@nestjs/common';
import { assertCan, contextPrimitive, Identity } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { ModelRequest, ModelService, ModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { refuseCloudOnlyProvider } from '../model-requests/custom-models';
import { ModelExchangeLogger } from '../model-requests/model-exchange-logger';
import { ModelSelection } from '../model-requests/model-selection';
import { PromptDefinition } from '../prompts/prompt-definition';
import { PromptRegistry } from '../prompts/prompt-registry';
import { AgentEvent, errorEvent, toNdjsonLine } from './agent-event';
import { ChatAgentRequestDto } from './chat-agent.dto';
import { availableTools, ChatTool } from './chat-tools';
import { assertScratchpadRoles, invalidConversation, reactConversation } from './react-conversation';
import { parseReactOutput } from './react-output-parser';

/**
 * Longest model answer one ReAct step reads: far past any `max_tokens` a chat prompt sets, it stops a model
 * server that streams without end from growing memory (and the re-parse of the text) without bound (issue 15).
 */
const MAX_REACT_TEXT = 1024 * 1024;

const REACT_PROMPT_ID = 'chat/react';

/** One checked `/v2/chat/agent` step, ready to stream; no model: custom models are disabled. */
export interface ReactStep {
  body: ChatAgentRequestDto;
  identity: Identity | undefined;
  model?: { prompt: PromptDefinition; target: ModelTarget };
}

/** One step of the Duo Chat ReAct agent (http-api.md §3.2, gitlab-versions.md §1), as NDJSON lines. */
@Injectable()
export class ReactAgentService {
  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelService,
    private readonly selection: ModelSelection,
    private readonly config: AppConfig,
    private readonly exchangeLog: ModelExchangeLogger,
  ) {}

  /** Everything that is answered with a status rather than an event: 400, 403, 422, before anything is sent. */
  prepare(body: ChatAgentRequestDto, identity: Identity | undefined): ReactStep {
    assertScratchpadRoles(body.messages);
    const categories = body.messages
      .flatMap((message) => message.additional_context ?? [])
      .map((item) => item.category);
    for (const category of new Set(categories)) {
      const primitive = contextPrimitive(category);
      assertCan(identity, { primitives: [primitive], message: `Unauthorized to access ${primitive}` });
    }
    const metadata = body.model_metadata ?? undefined;
    refuseCloudOnlyProvider(metadata?.provider);
    // A chat with custom models disabled answers an empty stream (http-api.md §3.2).
    if (metadata && !this.config.customModels.enabled) return { body, identity };
    const { name, target } = this.selection.fromMetadata(metadata);
    return { body, identity, model: { prompt: this.registry.resolve(REACT_PROMPT_ID, name), target } };
  }

  /** Streams the step's events. Never throws: failures become an `error` event. */
  async *run(step: ReactStep, signal: AbortSignal): AsyncGenerator<string> {
    const { body, identity, model } = step;
    if (!model) return;
    const invalid = invalidConversation(body.messages);
    if (invalid) {
      yield toNdjsonLine(errorEvent(invalid));
      return;
    }
    const { prompt, target } = model;
    const tools = availableTools(identity);
    const messages = reactConversation(prompt, body, tools, new Date());
    this.exchangeLog.logRequest(identity, REACT_PROMPT_ID, messages);
    const request: ModelRequest = { ...prompt.params, messages, signal, userId: identity?.userId };
    for await (const event of this.events(target, request, tools, identity)) {
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
        if (text.length > MAX_REACT_TEXT) {
          yield errorEvent(`The model's answer passed ${MAX_REACT_TEXT} characters`);
          return;
        }
        const parse = parseReactOutput(text);
        if (parse.kind !== 'final_answer' || parse.text.length <= answered.length) continue;
        yield { type: 'final_answer_delta', data: { text: parse.text.slice(answered.length) } };
        answered = parse.text;
      }
    } catch (error) {
      if (request.signal?.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      // http-api.md §3.2: retryable iff the model server was overloaded.
      const retryable = error instanceof AppError && error.code === ErrorCode.ModelOverloaded;
      yield errorEvent(message, retryable);
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
