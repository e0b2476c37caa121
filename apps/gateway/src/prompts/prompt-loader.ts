import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import nunjucks from 'nunjucks';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { requiredVariables } from '@app/common';
import { PromptDefinition, PromptMessageTemplate, PromptRole } from './prompt-definition';
import { PromptFile } from './prompt-file';
import { createTemplateEnvironment, dropTrailingNewline } from './template-environment';

const ROLES: readonly PromptRole[] = ['system', 'user', 'assistant'];

/**
 * Reads every `<prompt id>/<family>/<version>.yml` below `definitionsDir` (other files, such as `.jinja`
 * partials, are only reachable through `{% include %}`). Any broken file fails with an error naming it.
 */
export function loadPromptDefinitions(definitionsDir: string): PromptDefinition[] {
  const environment = createTemplateEnvironment(definitionsDir);
  const readPartial = (name: string) => dropTrailingNewline(readFileSync(join(definitionsDir, name), 'utf8'));
  return listYamlFiles(definitionsDir).map((file) => {
    const path = relative(definitionsDir, file).split(sep).join('/');
    try {
      return loadFile(path, readFileSync(file, 'utf8'), environment, readPartial);
    } catch (error) {
      throw new Error(`Invalid prompt definition ${path}: ${(error as Error).message}`, { cause: error });
    }
  });
}

function loadFile(
  path: string,
  text: string,
  environment: nunjucks.Environment,
  readPartial: (name: string) => string,
): PromptDefinition {
  const segments = path.replace(/\.yml$/, '').split('/');
  if (segments.length < 3) throw new Error('expected <prompt id>/<family>/<version>.yml');
  const version = segments.pop() as string;
  const family = segments.pop() as string;
  if (!semver.valid(version)) throw new Error(`'${version}' is not a semantic version`);

  const raw: unknown = parseYaml(text);
  const file = plainToInstance(PromptFile, raw);
  const errors = validateSync(file, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new Error(describe(errors).join('; '));

  const sources = templateSources((raw as { prompt_template: Record<string, string> }).prompt_template);
  if (sources.length === 0) throw new Error('prompt_template has no system, user or assistant template');
  // Compiled on first render: compiling all at load is ~60 ms of start-up. Syntax errors still fail the load,
  // through the parse in requiredVariables.
  const templates: PromptMessageTemplate[] = sources.map(([role, source]) => ({
    role,
    template: new nunjucks.Template(source, environment, `${path}#${role}`, false),
  }));
  const required = new Set(sources.flatMap(([, source]) => [...requiredVariables(source, readPartial)]));
  const { params } = file.model;
  return new PromptDefinition({
    id: segments.join('/'),
    family,
    version,
    name: file.name,
    unitPrimitives: file.unit_primitives,
    params: {
      temperature: params.temperature,
      maxTokens: params.max_tokens,
      topP: params.top_p,
      stop: params.stop,
      timeoutS: params.timeout,
    },
    templates,
    requiredInputs: [...required].sort(),
  });
}

/** File order decides message order; YAML block scalars end in a newline that Jinja would drop. */
function templateSources(section: Record<string, string>): Array<[PromptRole, string]> {
  return Object.entries(section)
    .filter((entry): entry is [PromptRole, string] => ROLES.includes(entry[0] as PromptRole))
    .map(([role, source]) => [role, dropTrailingNewline(source)]);
}

function listYamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yml'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => message.replace(error.property, path));
    return [...own, ...describe(error.children ?? [], `${path}.`)];
  });
}
