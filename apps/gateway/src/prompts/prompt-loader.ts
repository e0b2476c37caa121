import { readdirSync, readFileSync } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { join, relative, sep } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import nunjucks from 'nunjucks';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { requiredVariables } from '@app/common';
import { PromptDefinition, PromptMessageTemplate, PromptRole } from './prompt-definition';
import { FolderFile, ParseCache } from './parse-cache';
import { PromptFile } from './prompt-file';
import { createTemplateEnvironment, dropTrailingNewline } from './template-environment';

const ROLES: readonly PromptRole[] = ['system', 'user', 'assistant'];

/**
 * Reads every `<prompt id>/<family>/<version>.yml` below `definitionsDir` (other files, such as `.jinja`
 * partials, are only reachable through `{% include %}`). Any broken file fails with an error naming it.
 * Parsing the YAML and the templates is most of the start-up cost of this step (~250 ms for 113 files on a slow
 * core): what it yields is kept in `cacheDir` (Node's compile cache folder by default), keyed by the contents of
 * every file of the folder, and read from there while no file changed. Each definition is still validated.
 */
export function loadPromptDefinitions(
  definitionsDir: string,
  cacheDir: string | undefined = getCompileCacheDir(),
): PromptDefinition[] {
  const environment = createTemplateEnvironment(definitionsDir);
  const files = readFolder(definitionsDir);
  // Partials were read with the folder; a name outside it (or missing) is read as before, failing with its path.
  const texts = new Map(files.map(({ path, text }) => [path, text]));
  const readPartial = (name: string) =>
    dropTrailingNewline(texts.get(name) ?? readFileSync(join(definitionsDir, name), 'utf8'));
  const load = (cache: ParseCache<ParsedFile>) =>
    files
      .filter(({ path }) => path.endsWith('.yml'))
      .map(({ path, text }) => {
        try {
          const where = definitionPath(path);
          return loadFile(
            where,
            cache.parsed(path, () => parseFile(text, readPartial)),
            environment,
          );
        } catch (error) {
          throw new Error(`Invalid prompt definition ${path}: ${(error as Error).message}`, { cause: error });
        }
      });
  let cache = ParseCache.open<ParsedFile>(cacheDir, files);
  let definitions: PromptDefinition[];
  try {
    definitions = load(cache);
  } catch (error) {
    // A cache that does not hold what was written (edited by hand, another format) never stops the gateway.
    if (!cache.hit) throw error;
    cache = ParseCache.open<ParsedFile>(cacheDir, files, true);
    definitions = load(cache);
  }
  cache.save();
  return definitions;
}

/** What is costly to redo: the YAML document, and the variables its templates (and their partials) use. */
interface ParsedFile {
  raw: unknown;
  required: string[];
}

function parseFile(text: string, readPartial: (name: string) => string): ParsedFile {
  const raw: unknown = parseYaml(text);
  // Validation (in loadFile) reports a malformed section; only its text templates are parsed here.
  const section = (raw as { prompt_template?: unknown } | null)?.prompt_template;
  const texts = isRecord(section) ? Object.entries(section).filter(([, value]) => typeof value === 'string') : [];
  const sources = templateSources(Object.fromEntries(texts) as Record<string, string>);
  const required = new Set(sources.flatMap(([, source]) => [...requiredVariables(source, readPartial)]));
  return { raw, required: [...required].sort() };
}

interface DefinitionPath {
  path: string;
  id: string;
  family: string;
  version: string;
}

/** `<prompt id>/<family>/<version>.yml`, checked before the file is parsed. */
function definitionPath(path: string): DefinitionPath {
  const segments = path.replace(/\.yml$/, '').split('/');
  if (segments.length < 3) throw new Error('expected <prompt id>/<family>/<version>.yml');
  const version = segments.pop() as string;
  const family = segments.pop() as string;
  if (!semver.valid(version)) throw new Error(`'${version}' is not a semantic version`);
  return { path, id: segments.join('/'), family, version };
}

function loadFile(
  { path, id, family, version }: DefinitionPath,
  { raw, required }: ParsedFile,
  environment: nunjucks.Environment,
): PromptDefinition {
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
  const { params } = file.model;
  return new PromptDefinition({
    id,
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
    requiredInputs: required,
  });
}

/** File order decides message order; YAML block scalars end in a newline that Jinja would drop. */
function templateSources(section: Record<string, string>): Array<[PromptRole, string]> {
  return Object.entries(section)
    .filter((entry): entry is [PromptRole, string] => ROLES.includes(entry[0] as PromptRole))
    .map(([role, source]) => [role, dropTrailingNewline(source)]);
}

/** Every file below `dir`, by path relative to it (with `/`), sorted. */
function readFolder(dir: string): FolderFile[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return { path: relative(dir, file).split(sep).join('/'), text: readFileSync(file, 'utf8') };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => message.replace(error.property, path));
    return [...own, ...describe(error.children ?? [], `${path}.`)];
  });
}
