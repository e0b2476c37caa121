import { AppError, ErrorCode } from '@app/common';
import { ModelFieldNames, ModelService, ModelTarget } from '@app/models';
import { AppConfig } from '../config';
import { RootLogger } from '../logging/logging.module';
import { ModelSelection } from './model-selection';

/** Stands in for the model layer's check: records what it was asked, refuses targets without an endpoint. */
class FakeModels {
  checked: Array<{ target: ModelTarget; fields: ModelFieldNames }> = [];

  assertServable(target: ModelTarget, fields: ModelFieldNames): void {
    this.checked.push({ target, fields });
    if (!target.apiBase && target.provider !== 'bedrock') {
      throw new AppError(ErrorCode.InvalidInput, `${fields.endpoint} is required: …`);
    }
  }
}

describe(ModelSelection.name, () => {
  let models: FakeModels;
  let info: jest.Mock;
  let selection: ModelSelection;
  let config: AppConfig;

  beforeEach(() => {
    models = new FakeModels();
    info = jest.fn();
    config = new AppConfig();
    config.customModels.enabled = true;
    selection = new ModelSelection(config, models as unknown as ModelService, { info } as unknown as RootLogger);
  });

  it('answers 422 naming model_metadata.endpoint when there is no model_metadata (gitlab-versions.md §2)', () => {
    expect(() => selection.fromMetadata(undefined)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidInput,
        message: expect.stringMatching(/^model_metadata\.endpoint is required: /),
      }),
    );
  });

  it.each(['gitlab', 'amazon_q'])('refuses provider %s before anything else (§4a)', (provider) => {
    expect(() => selection.fromMetadata({ provider, feature_setting: 'duo_chat' })).toThrow(
      `model provider ${provider} is not available on a self-hosted AI gateway`,
    );
    expect(models.checked).toEqual([]);
  });

  it('checks the target with the model_metadata field names, so the 422 names them', () => {
    expect(() => selection.fromMetadata({ provider: 'openai', name: 'mistral' })).toThrow(
      /^model_metadata\.endpoint is required/,
    );
    expect(models.checked[0].fields).toEqual({ endpoint: 'model_metadata.endpoint', apiKey: 'model_metadata.api_key' });
  });

  it('serves a bedrock/ identifier without an endpoint', () => {
    const selected = selection.fromMetadata({
      provider: 'openai',
      name: 'claude_3',
      identifier: 'bedrock/anthropic.claude',
    });
    expect(selected.target).toMatchObject({ provider: 'bedrock', model: 'anthropic.claude' });
  });

  it('refuses an endpoint that is not allowed even when a bedrock/ identifier drops it from the target', () => {
    config.customModels.allowedEndpoints = ['http://vllm.internal'];
    expect(() =>
      selection.fromMetadata({ provider: 'openai', name: 'x', endpoint: 'http://other:1/v1', identifier: 'bedrock/m' }),
    ).toThrow('model_metadata.endpoint is not in the allowed model endpoints');
  });

  it('logs an unknown model name once, and no more than a bounded number of names', () => {
    const endpoint = 'http://vllm:8000/v1';
    selection.fromMetadata({ provider: 'openai', name: 'my-finetune', endpoint });
    selection.fromMetadata({ provider: 'openai', name: 'my-finetune', endpoint });
    selection.fromMetadata({ provider: 'openai', name: 'mistral', endpoint });
    expect(info.mock.calls).toEqual([
      [{ logger: 'models', model_name: 'my-finetune' }, 'Unknown model name: served with the general prompts'],
    ]);
    for (let index = 0; index < 500; index += 1) selection.noteUnknown(`name-${index}`);
    expect(info).toHaveBeenCalledTimes(100);
  });
});
