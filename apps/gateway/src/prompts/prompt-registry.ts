import semver from 'semver';
import { AppError, ErrorCode } from '@app/common';
import { PromptDefinition } from './prompt-definition';
import { toSemverRange } from './version-constraint';

/** Constraints remembered per prompt family: requests may name any, so the memory is bounded. */
const REMEMBERED_CONSTRAINTS = 100;

/** The family every prompt id has (http-api.md §9.7); used when a request names none or an unknown one. */
export const BASE_FAMILY = 'base';

/** All prompt definitions, keyed by id and family; resolution as http-api.md §3.3 describes. */
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
   * The highest version of `<promptId>/<family>` matching a Poetry-style constraint. Without a family:
   * `AIGW_DEFAULT_PROMPTS[promptId]`, else `base`; a family without its own variant falls back to `base`.
   */
  resolve(promptId: string, family: string | undefined, versionConstraint = '^1.0.0'): PromptDefinition {
    const families = this.byId.get(promptId);
    const wanted = family ?? this.defaultFamilies[promptId] ?? BASE_FAMILY;
    const versions = families?.get(wanted) ?? families?.get(BASE_FAMILY);
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
