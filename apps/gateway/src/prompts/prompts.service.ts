import { Injectable } from '@nestjs/common';
import { assertCan, Identity } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { ModelRequest, ModelService, ModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { modelMetadataTarget, requireCustomModels } from './custom-models';
import { ModelExchangeLogger } from './model-exchange-logger';
import { PromptRegistry } from './prompt-registry';
import { ModelMetadataDto, PromptRequestDto } from './prompts.dto';

/** A resolved, rendered prompt and where to send it. */
export interface PromptInvocation {
  promptId: string;
  identity: Identity | undefined;
  target: ModelTarget;
  request: ModelRequest;
}

/** ReAct prompts need the agent loop of `/v2/chat/agent`; invoking them directly is refused (http-api.md §3.3). */
const REACT_PROMPT_IDS = new Set(['chat/react']);

@Injectable()
export class PromptsService {
  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelService,
    private readonly config: AppConfig,
    private readonly exchangeLog: ModelExchangeLogger,
  ) {}

  /** Every check of http-api.md §3.3, in the contract's order, before anything goes upstream. */
  prepare(promptId: string, body: PromptRequestDto, identity: Identity | undefined): PromptInvocation {
    const metadata = body.model_metadata;
    if (metadata?.endpoint) requireCustomModels(this.config);
    const prompt = this.registry.resolve(promptId, metadata?.name, body.prompt_version ?? undefined);
    assertCan(identity, { primitives: prompt.unitPrimitives, message: `Unauthorized to access '${promptId}'` });
    if (REACT_PROMPT_IDS.has(promptId))
      throw new AppError(ErrorCode.InvalidInput, `Prompt '${promptId}' is not supported`);
    const messages = prompt.render(body.inputs);
    return { promptId, identity, target: targetOf(metadata), request: { ...prompt.params, messages } };
  }

  async generate(invocation: PromptInvocation, signal: AbortSignal): Promise<string> {
    this.exchangeLog.logRequest(invocation.identity, invocation.promptId, invocation.request.messages);
    const { text } = await this.models.generate(invocation.target, { ...invocation.request, signal });
    this.exchangeLog.logResponse(invocation.identity, invocation.promptId, text);
    return text;
  }

  async *stream(invocation: PromptInvocation, signal: AbortSignal): AsyncGenerator<string> {
    this.exchangeLog.logRequest(invocation.identity, invocation.promptId, invocation.request.messages);
    let text = '';
    for await (const chunk of this.models.stream(invocation.target, { ...invocation.request, signal })) {
      if (chunk.type !== 'text') continue;
      text += chunk.text;
      yield chunk.text;
    }
    this.exchangeLog.logResponse(invocation.identity, invocation.promptId, text);
  }
}

function targetOf(metadata: ModelMetadataDto | undefined): ModelTarget {
  if (!metadata) {
    throw new AppError(
      ErrorCode.InvalidInput,
      'model_metadata is required: this gateway serves self-hosted models only',
    );
  }
  return modelMetadataTarget(metadata);
}
