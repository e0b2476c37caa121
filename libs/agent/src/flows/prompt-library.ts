import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import nunjucks from 'nunjucks';
import { maxSatisfying, valid, validRange } from 'semver';
import { parse as parseYaml } from 'yaml';
import { dropTrailingNewline, PromptTemplate } from './prompt-template';

const BASE_FAMILY = 'base';

/**
 * Model families that share a prompt folder: Mixtral and Codestral speak Mistral's chat template and take the
 * same instructions; other names (`claude_3`, `gpt`, `general`, …) use `base`.
 */
const FAMILY_FOLDERS: Record<string, string> = {
  mistral: 'mistral',
  mixtral: 'mistral',
  codestral: 'mistral',
  llama3: 'llama3',
};

/**
 * The flows' file-based prompts, `<prompt id>/<family>/<semver>.yml` below one folder, like the prompt registry
 * of the HTTP gateway: a component names `prompt_id` and a `prompt_version` constraint, the session's model
 * family picks the folder (`base` when the family has none). A broken file fails the load, naming it.
 */
export class PromptLibrary {
  private readonly prompts = new Map<string, Map<string, Map<string, PromptTemplate>>>();

  static empty(): PromptLibrary {
    return new PromptLibrary();
  }

  static load(dir: string): PromptLibrary {
    const library = new PromptLibrary();
    if (!existsSync(dir)) return library;
    const environment = new nunjucks.Environment(new PartialLoader(dir), { autoescape: false });
    const read = (name: string) => dropTrailingNewline(readFileSync(join(dir, name), 'utf8'));
    for (const file of yamlFiles(dir)) {
      const path = relative(dir, file).split(sep).join('/');
      try {
        library.add(path, readFileSync(file, 'utf8'), { environment, read });
      } catch (error) {
        throw new Error(`Invalid flow prompt ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
    return library;
  }

  /** The best match for the family (falling back to `base`), or undefined. */
  resolve(id: string, constraint: string, family: string | undefined): PromptTemplate | undefined {
    const families = this.prompts.get(id);
    if (!families) return undefined;
    const folder = family ? (FAMILY_FOLDERS[family] ?? family) : BASE_FAMILY;
    const versions = families.get(folder) ?? families.get(BASE_FAMILY);
    if (!versions || !validRange(constraint)) return undefined;
    const version = maxSatisfying([...versions.keys()], constraint);
    return version ? versions.get(version) : undefined;
  }

  /** The template of every family for the constraint (what validation checks a component's inputs against). */
  variants(id: string, constraint: string): PromptTemplate[] {
    const families = this.prompts.get(id);
    if (!families || !validRange(constraint)) return [];
    return [...families.values()].flatMap((versions) => {
      const version = maxSatisfying([...versions.keys()], constraint);
      return version ? [versions.get(version) as PromptTemplate] : [];
    });
  }

  private add(path: string, text: string, partials: ConstructorParameters<typeof PromptTemplate>[2]): void {
    const segments = path.replace(/\.yml$/, '').split('/');
    if (segments.length < 3) throw new Error('expected <prompt id>/<family>/<version>.yml');
    const version = segments.pop() as string;
    const family = segments.pop() as string;
    if (!valid(version)) throw new Error(`'${version}' is not a semantic version`);
    const raw = parseYaml(text) as { prompt_template?: Record<string, unknown> } | null;
    const sections = raw?.prompt_template;
    if (!sections || typeof sections.system !== 'string') throw new Error('prompt_template.system is required');
    const strings = Object.fromEntries(Object.entries(sections).filter(([, value]) => typeof value === 'string'));
    const id = segments.join('/');
    const template = new PromptTemplate(id, strings as Record<string, string>, partials);
    const families = this.prompts.get(id) ?? new Map<string, Map<string, PromptTemplate>>();
    this.prompts.set(id, families);
    const versions = families.get(family) ?? new Map<string, PromptTemplate>();
    families.set(family, versions);
    versions.set(version, template);
  }
}

/** Jinja2 drops one trailing newline of every template source, included partials too. */
class PartialLoader extends nunjucks.FileSystemLoader {
  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name);
    if (source) source.src = dropTrailingNewline(source.src);
    return source;
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yml'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
