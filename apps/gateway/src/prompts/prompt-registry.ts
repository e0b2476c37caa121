import semver from 'semver';
import { AppError, ErrorCode } from '@app/common';
import { promptFamiliesOf } from '@app/models';
import { PromptDefinition } from './prompt-definition';
import { toSemverRange } from './version-constraint';

/** Constraints remembered per prompt family: requests may name any, so the memory is bounded. */
const REMEMBERED_CONSTRAINTS = 100;

/** The family every prompt id has (http-api.md §9.7); tried after the model's own families. */
const BASE_FAMILY = 'base';

/** All prompt definitions, keyed by id and family; resolution as http-api.md §3.3 and gitlab-versions.md §2. */
export class PromptRegistry {
  private readonly byId = new Map<string, Map<string, PromptDefinition[]>>();
  /** Per family's versions, constraint → match: semver parsing showed in every completion's profile. */
  private readonly resolved = new Map<PromptDefinition[], Map<string, PromptDefinition>>();

  constructor(
    definitions: PromptDefinition[],
    /** `AIGW_DEFAULT_PROMPTS`: `{"<prompt id>": "<family>"}` for requests without a model. */
    private readonly defaultFamilies: Record<string, string>,
  ) {
    for (const definition of definitions) {
      const families = this.byId.get(definition.id) ?? new Map<string, PromptDefinition[]>();
      families.set(definition.family, [...(families.get(definition.family) ?? []), definition]);
      this.byId.set(definition.id, families);
    }
  }

  /**
   * The highest version matching a Poetry-style constraint of the first family of `model`'s list that `promptId`
   * has (`codestral` → codestral, mistral, litellm; an unknown model as `general` → litellm), else of `base`. A
   * family that exists but has no matching version is not skipped: 404. Without a model:
   * `AIGW_DEFAULT_PROMPTS[promptId]`, else `base`.
   */
  resolve(promptId: string, model: string | undefined, versionConstraint = '^1.0.0'): PromptDefinition {
    const families = this.byId.get(promptId);
    const configured = Object.hasOwn(this.defaultFamilies, promptId) ? this.defaultFamilies[promptId] : BASE_FAMILY;
    const wanted = model === undefined ? [configured] : promptFamiliesOf(model);
    const family = [...wanted, BASE_FAMILY].find((name) => families?.has(name));
    const versions = family === undefined ? undefined : families?.get(family);
    if (!versions) throw notFound(promptId);
    let remembered = this.resolved.get(versions);
    if (!remembered) this.resolved.set(versions, (remembered = new Map()));
    const known = remembered.get(versionConstraint);
    if (known) return known;
    const match = this.highestMatching(promptId, versions, versionConstraint);
    if (remembered.size < REMEMBERED_CONSTRAINTS) remembered.set(versionConstraint, match);
    return match;
  }

  /** Every loaded definition, for listings and tests. */
  all(): PromptDefinition[] {
    return [...this.byId.values()].flatMap((families) => [...families.values()].flat());
  }

  private highestMatching(promptId: string, versions: PromptDefinition[], versionConstraint: string): PromptDefinition {
    const range = toSemverRange(versionConstraint);
    if (range === undefined) throw new AppError(ErrorCode.InvalidInput, 'Invalid version constraint');
    const best = semver.maxSatisfying(
      versions.map((definition) => definition.version),
      range,
    );
    const match = versions.find((definition) => definition.version === best);
    if (!match) throw notFound(promptId);
    return match;
  }
}

const notFound = (promptId: string) => new AppError(ErrorCode.NotFound, `Prompt '${promptId}' not found`);
