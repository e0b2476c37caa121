import { AppError, ErrorCode } from '@app/common';
import { Chunk, Completion, ModelRequest, ModelService, ModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { RootLogger } from '../logging/logging.module';
import { ModelExchangeLogger } from '../model-requests/model-exchange-logger';
import { PromptComponentDto } from './chat.dto';
import { ChatService } from './chat.service';

/** Stands in for the model layer: records calls, answers or fails as told. */
class FakeModels {
  calls: Array<{ target: ModelTarget; request: ModelRequest }> = [];
  checked: ModelTarget[] = [];
  failure?: AppError;
  refusal?: AppError;

  assertServable(target: ModelTarget): void {
    this.checked.push(target);
    if (this.refusal) throw this.refusal;
  }

  async generate(target: ModelTarget, request: ModelRequest): Promise<Completion> {
    this.calls.push({ target, request });
    if (this.failure) throw this.failure;
    return { text: 'answer', toolCalls: [], finishReason: 'stop' };
  }

  async *stream(target: ModelTarget, request: ModelRequest): AsyncGenerator<Chunk> {
    this.calls.push({ target, request });
    if (this.failure) throw this.failure;
    yield { type: 'text', text: 'answer' };
  }
}

const component = (payload: Record<string, unknown>) =>
  ({
    type: 'prompt',
    metadata: { source: 's', version: '1' },
    payload: {
      model: 'claude-2.0',
      params: { stop_sequences: ['\n\nHuman'], temperature: 0.2, max_tokens_to_sample: 8192 },
      ...payload,
    },
  }) as unknown as PromptComponentDto;

describe(ChatService.name, () => {
  let models: FakeModels;
  let config: AppConfig;
  let chat: ChatService;

  beforeEach(() => {
    models = new FakeModels();
    config = new AppConfig();
    config.modelKeys.anthropicApiKey = 'sk-ant';
    config.customModels.enabled = true;
    const logger = new ModelExchangeLogger(config, { info: jest.fn() } as unknown as RootLogger);
    chat = new ChatService(models as unknown as ModelService, config, logger);
  });

  it.each([
    [{ content: 'Hello', provider: null }],
    [{ content: 'Hello', provider: 'litellm', model: 'mistral', model_endpoint: 'http://vllm:8000/v1' }],
  ])('checks the target %j before anything is sent, so a refusal is a status (gitlab-versions.md §2)', (payload) => {
    models.refusal = new AppError(ErrorCode.InvalidInput, 'model_endpoint is required');
    expect(() => chat.prepare('agent', component(payload), undefined)).toThrow('model_endpoint is required');
    expect(models.checked).toHaveLength(1);
    expect(models.calls).toEqual([]);
  });

  it('sends requests without a provider to Anthropic with the configured key', async () => {
    await chat.generate(
      chat.prepare('agent', component({ content: 'Hello', provider: null }), undefined),
      new AbortController().signal,
    );
    expect(models.calls[0].target).toEqual({ provider: 'anthropic', model: 'claude-2.0', apiKey: 'sk-ant' });
    expect(models.calls[0].request).toMatchObject({ maxTokens: 8192, temperature: 0.2, stop: ['\n\nHuman'] });
  });

  it('caps Anthropic output at 4096 tokens for message lists', () => {
    const messages = [{ role: 'user', content: 'Hello' }];
    expect(chat.prepare('agent', component({ content: messages }), undefined).request.maxTokens).toBe(4096);
  });

  it.each([
    [ErrorCode.ModelTimeout, ErrorCode.ModelTimeout, 'Anthropic API Timeout Error.'],
    [ErrorCode.ModelUnreachable, ErrorCode.ModelUnreachable, 'Anthropic API Connection Error.'],
    [ErrorCode.ModelRejected, ErrorCode.ModelFailed, 'Anthropic API Status Error.'],
  ])('answers Anthropic failures (%s) as %s with the contract message', async (code, answered, message) => {
    models.failure = new AppError(code, 'upstream said no');
    const invocation = chat.prepare('agent', component({ content: 'Hello', provider: 'anthropic' }), undefined);
    await expect(chat.generate(invocation, new AbortController().signal)).rejects.toMatchObject({
      code: answered,
      message,
    });
  });

  it('turns LiteLLM failures into plain internal errors, streaming or not', async () => {
    models.failure = new AppError(ErrorCode.ModelFailed, 'boom');
    const invocation = chat.prepare(
      'agent',
      component({ content: 'Hi', provider: 'litellm', model: 'mistral', model_endpoint: 'http://m/v1' }),
      undefined,
    );
    await expect(chat.generate(invocation, new AbortController().signal)).rejects.toMatchObject({
      code: ErrorCode.InternalByContract,
    });
    await expect(chat.stream(invocation, new AbortController().signal).next()).rejects.toMatchObject({
      code: ErrorCode.InternalByContract,
    });
  });

  it('refuses a custom endpoint while custom models are disabled', () => {
    config.customModels.enabled = false;
    expect(() =>
      chat.prepare(
        'agent',
        component({ content: 'Hi', provider: 'litellm', model: 'mistral', model_endpoint: 'http://m/v1' }),
        undefined,
      ),
    ).toThrow(expect.objectContaining({ code: ErrorCode.InternalByContract }));
  });
});
