import { Injectable } from '@nestjs/common';
import { assertCan, Identity } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { ModelRequest, ModelService, ModelTarget, Usage } from '@app/models';
import { AppConfig } from '../config';
import { capabilityModelError } from '../errors/capability-model-errors';
import { refuseCloudOnlyProvider, requireCustomModels } from '../model-requests/custom-models';
import { ModelExchangeLogger } from '../model-requests/model-exchange-logger';
import { ModelSelection } from '../model-requests/model-selection';
import { PromptRegistry } from './prompt-registry';
import { PromptRequestDto } from './prompts.dto';
import { formatDate } from '../python-compat/python-date';

/** A resolved, rendered prompt and where to send it. */
export interface PromptInvocation {
  promptId: string;
  identity: Identity | undefined;
  target: ModelTarget;
  request: ModelRequest;
}

/** What a prompt produced: its text, streamed or whole, and the usage when the model reported it. */
export type PromptOutput = { type: 'text'; text: string } | { type: 'usage'; usage: Usage };

/** ReAct prompts need the agent loop of `/v2/chat/agent`; invoking them directly is refused (http-api.md §3.3). */
const REACT_PROMPT_IDS = new Set(['chat/react']);
/** `inputs.current_date` when the request gives none (gitlab-versions.md §4). */
const CURRENT_DATE_FORMAT = '%B %d, %Y';

@Injectable()
export class PromptsService {
  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelService,
    private readonly selection: ModelSelection,
    private readonly config: AppConfig,
    private readonly exchangeLog: ModelExchangeLogger,
  ) {}

  /**
   * Every check of http-api.md §3.3, in the contract's order, then gitlab-versions.md §2's model rule — all
   * before anything goes upstream.
   */
  prepare(promptId: string, body: PromptRequestDto, identity: Identity | undefined): PromptInvocation {
    const metadata = body.model_metadata ?? undefined;
    if (metadata?.endpoint) requireCustomModels(this.config);
    refuseCloudOnlyProvider(metadata?.provider);
    const prompt = this.registry.resolve(promptId, metadata?.name, body.prompt_version ?? undefined);
    assertCan(identity, { primitives: prompt.unitPrimitives, message: `Unauthorized to access '${promptId}'` });
    if (REACT_PROMPT_IDS.has(promptId))
      throw new AppError(ErrorCode.InvalidInput, `Prompt '${promptId}' is not supported`);
    const messages = prompt.render({ current_date: formatDate(new Date(), CURRENT_DATE_FORMAT), ...body.inputs });
    const { target } = this.selection.fromMetadata(metadata);
    return {
      promptId,
      identity,
      target,
      request: { ...prompt.params, messages, userId: identity?.userId, family: metadata?.name ?? undefined },
    };
  }

  /** Model failures leave in the prompt routes' words: 421 for an upstream HTTP error, else 500 (§3.3). */
  async generate(invocation: PromptInvocation, signal: AbortSignal): Promise<{ text: string; usage?: Usage }> {
    this.exchangeLog.logRequest(invocation.identity, invocation.promptId, invocation.request.messages);
    try {
      const { text, usage } = await this.models.generate(invocation.target, { ...invocation.request, signal });
      this.exchangeLog.logResponse(invocation.identity, invocation.promptId, text);
      return { text, usage };
    } catch (error) {
      throw capabilityModelError('prompts', error);
    }
  }

  async *stream(invocation: PromptInvocation, signal: AbortSignal): AsyncGenerator<PromptOutput> {
    this.exchangeLog.logRequest(invocation.identity, invocation.promptId, invocation.request.messages);
    let text = '';
    try {
      for await (const chunk of this.models.stream(invocation.target, { ...invocation.request, signal })) {
        if (chunk.type === 'usage') yield chunk;
        if (chunk.type !== 'text') continue;
        text += chunk.text;
        yield chunk;
      }
    } catch (error) {
      throw capabilityModelError('prompts', error);
    }
    this.exchangeLog.logResponse(invocation.identity, invocation.promptId, text);
  }
}
