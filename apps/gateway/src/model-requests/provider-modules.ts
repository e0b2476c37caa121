import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { ModelProviderDefinition } from '@app/models';
import { ConfigValidationError } from '../config';

const VARIABLE = 'AIGW_MODEL_PROVIDERS__MODULES';

/**
 * The provider definitions of the packages `AIGW_MODEL_PROVIDERS__MODULES` names, in order. A package name is
 * resolved from the gateway's own node_modules (where a derived image installs it), a path from the working
 * directory. A module that cannot be loaded, or exports no provider definition, fails start-up naming it.
 */
export function loadProviderModules(specifiers: readonly string[]): ModelProviderDefinition[] {
  const load = createRequire(__filename);
  return specifiers.flatMap((specifier) => {
    const path = isPath(specifier) ? resolve(specifier) : specifier;
    let exported: unknown;
    try {
      exported = load(path);
    } catch (error) {
      throw problem(specifier, `cannot be loaded: ${firstLine(error)}`);
    }
    const definitions = definitionsOf(exported);
    if (!definitions) {
      throw problem(
        specifier,
        'exports no model provider: expected `export default defineModelProvider({ names, create })` (or a `providers` list)',
      );
    }
    return definitions;
  });
}

const isPath = (specifier: string) => isAbsolute(specifier) || /^\.\.?[\\/]/.test(specifier);

function definitionsOf(exported: unknown): ModelProviderDefinition[] | undefined {
  const module = (exported ?? {}) as { default?: unknown; provider?: unknown; providers?: unknown };
  const candidates = Array.isArray(module.providers) ? module.providers : [module.default ?? module.provider];
  return candidates.length > 0 && candidates.every(isDefinition) ? candidates : undefined;
}

function isDefinition(value: unknown): value is ModelProviderDefinition {
  const { names, create } = (value ?? {}) as Partial<ModelProviderDefinition>;
  return (
    Array.isArray(names) &&
    names.length > 0 &&
    names.every((name) => typeof name === 'string' && name !== '') &&
    typeof create === 'function'
  );
}

function problem(specifier: string, what: string): ConfigValidationError {
  return new ConfigValidationError([`${VARIABLE}: "${specifier}" ${what}`]);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
