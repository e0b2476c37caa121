import { Logger } from '@nestjs/common';
import { ModelService, ModelTarget } from '@app/models';
import { AgentOptions } from '../agent-options';
import { AgentModels } from './agent-models';

const DEFAULT = { provider: 'custom_openai', name: 'mistral', endpoint: 'http://default:8000/v1', api_key: 'dk' };
const GIVEN = { provider: 'custom_openai', name: 'llama3', endpoint: 'http://given:8000/v1', api_key: 'gk' };

function agentModels(): { models: AgentModels; targets: ModelTarget[]; warnings: string[] } {
  const targets: ModelTarget[] = [];
  const service = {
    stream: (target: ModelTarget) => {
      targets.push(target);
      return (async function* () {})();
    },
  } as unknown as ModelService;
  const options = { defaultModelMetadata: DEFAULT } as unknown as AgentOptions;
  const warnings: string[] = [];
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  return { models: new AgentModels(service, options), targets, warnings };
}

async function targetFor(header: Record<string, unknown>) {
  const { models, targets, warnings } = agentModels();
  for await (const _ of models.create(JSON.stringify(header)).stream({ messages: [] } as never)) void _;
  return { target: targets[0], warnings };
}

afterEach(() => jest.restoreAllMocks());

describe('AgentModels: the model metadata header follows the model_metadata rules (gitlab-versions.md §2, §9)', () => {
  it('uses the header model when it is within the limits', async () => {
    const { target, warnings } = await targetFor({ ...GIVEN, api_key: 'k'.repeat(2000), identifier: 'i'.repeat(1000) });
    expect(target).toMatchObject({ apiBase: 'http://given:8000/v1', apiKey: 'k'.repeat(2000) });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['api_key', 'k'.repeat(2001), 'api_key is longer than 2000 characters'],
    ['identifier', 'i'.repeat(1001), 'identifier is longer than 1000 characters'],
    ['name', 'n'.repeat(256), 'name is longer than 255 characters'],
    ['endpoint', `http://given/${'e'.repeat(250)}`, 'endpoint is longer than 255 characters'],
    ['api_key', 'a\nb', 'api_key may hold only printable ASCII characters'],
  ])(
    'ignores a header whose %s breaks the rules, with a warning naming it, and uses the default',
    async (field, value, why) => {
      const { target, warnings } = await targetFor({ ...GIVEN, [field]: value });
      expect(target).toMatchObject({ apiBase: 'http://default:8000/v1', apiKey: 'dk' });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(why);
      expect(warnings[0]).not.toContain('gk');
    },
  );
});
