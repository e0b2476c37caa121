import { AppError } from '@app/common';
import { createValidationPipe } from '../errors/validation-error.factory';
import { OptionalNested } from '../validation/field-rules';
import { ModelMetadataDto } from './model-metadata.dto';

const pipe = createValidationPipe();

/** A request body that carries `model_metadata` as every route taking it does. */
class MetadataHolder {
  @OptionalNested(ModelMetadataDto) model_metadata?: ModelMetadataDto | null;
}

/** The 422 issues the app answers for `model_metadata`, as `[loc after model_metadata, msg]`. */
async function issuesOf(model_metadata: unknown): Promise<Array<[string, string]>> {
  try {
    await pipe.transform({ model_metadata }, { type: 'body', metatype: MetadataHolder });
    return [];
  } catch (error) {
    const details = (error as AppError).details as Array<{ loc: string[]; msg: string }>;
    return details.map(({ loc, msg }) => [loc.slice(2).join('.'), msg]);
  }
}

const VALID = { provider: 'openai', name: 'mistral', endpoint: 'http://vllm:8000/v1', api_key: 'k', identifier: 'x' };

describe('model_metadata (gitlab-versions.md §2)', () => {
  it('accepts a self-hosted model, with or without endpoint', async () => {
    expect(await issuesOf(VALID)).toEqual([]);
    expect(await issuesOf({ provider: 'openai', name: 'general', endpoint: null })).toEqual([]);
    expect(await issuesOf({ provider: 'custom_openai', name: 'general' })).toEqual([]);
  });

  it('accepts the GitLab-managed form without a name and the Amazon Q form (refused later)', async () => {
    expect(await issuesOf({ provider: 'gitlab', feature_setting: 'duo_chat', identifier: null })).toEqual([]);
    expect(await issuesOf({ provider: 'amazon_q', name: 'amazon_q', role_arn: 'arn:aws:iam::1:role/q' })).toEqual([]);
  });

  it.each([
    [{ ...VALID, api_key: 'k'.repeat(2000) }, []],
    [{ ...VALID, api_key: 'k'.repeat(2001) }, [['api_key', 'String should have at most 2000 characters']]],
    [{ ...VALID, identifier: 'i'.repeat(1000) }, []],
    [{ ...VALID, identifier: 'i'.repeat(1001) }, [['identifier', 'String should have at most 1000 characters']]],
    [{ ...VALID, name: 'n'.repeat(256) }, [['name', 'String should have at most 255 characters']]],
    [{ ...VALID, provider: 'p'.repeat(256) }, [['provider', 'String should have at most 255 characters']]],
    [{ ...VALID, endpoint: `http://e/${'x'.repeat(250)}` }, [['endpoint', 'URL should have at most 255 characters']]],
    [{ ...VALID, endpoint: 'not a url' }, [['endpoint', 'Input should be a valid URL']]],
    [{ ...VALID, endpoint: 42 }, [['endpoint', 'URL input should be a string or URL']]],
    [{ name: 'mistral' }, [['provider', 'Field required']]],
    [{ provider: 'openai' }, [['name', 'Field required']]],
  ])('checks the limits of %#', async (metadata, issues) => {
    expect(await issuesOf(metadata)).toEqual(issues);
  });

  it.each(['a\nb', 'Ω', 'tab\tkey'])(
    'refuses the api_key %j, which cannot travel as an HTTP header (issue 15)',
    async (key) => {
      expect(await issuesOf({ ...VALID, api_key: key })).toEqual([
        ['api_key', 'Value error, the key may hold only printable ASCII characters: it is sent as an HTTP header'],
      ]);
    },
  );

  it('answers a model_metadata that is not an object with dict_type', async () => {
    expect(await issuesOf([])).toEqual([['', 'Input should be a valid dictionary']]);
  });
});
