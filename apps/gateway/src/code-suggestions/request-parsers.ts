import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../errors/validation-error.factory';
import { PROMPT_COMPONENT, PromptComponent, SuggestionsV3Body, SuggestionsV3Request } from './code-suggestions.dto';
import { invalidBody, parseTaggedUnion, TaggedUnion } from './tagged-union';

const VALIDATION = { whitelist: true, stopAtFirstError: true, forbidUnknownValues: false };

/** `/v2/code/*` bodies: a union tagged by `prompt_version`. */
export function versionedBodyParser<T extends object>(union: TaggedUnion<T>): (body: unknown) => T {
  return (body) => {
    const result = parseTaggedUnion(body, union, ['body']);
    if (result.value === undefined) throw invalidBody(result.issues);
    return result.value;
  };
}

/** `/v3/code/completions`, `/v4/code/suggestions`: the envelope, then each component by its `type`. */
export function parseSuggestionsV3Body(body: unknown): SuggestionsV3Body {
  const request = plainToInstance(SuggestionsV3Request, isRecord(body) ? body : {});
  const errors = validateSync(request, VALIDATION);
  if (errors.length > 0) throw invalidBody(flattenValidationErrors(errors, ['body']));
  const parsed = (request.prompt_components as unknown[]).map((component, index) =>
    parseTaggedUnion(component, PROMPT_COMPONENT, ['body', 'prompt_components', index]),
  );
  const issues = parsed.flatMap((result) => result.issues);
  if (issues.length > 0) throw invalidBody(issues);
  return {
    components: parsed.map((result) => result.value as PromptComponent),
    modelMetadata: request.model_metadata ?? undefined,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
