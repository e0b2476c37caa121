/** The label value of anything outside a metric's fixed set. */
export const OTHER_LABEL = 'other';

/**
 * The values one Prometheus label may take: a fixed set (the model family list, the provider table, names from
 * the operator's configuration, route templates), anything else `other`. A label never carries a string as a
 * request sent it: one request with a 1 MB model identifier once added 67 MB to every scrape (issue 15).
 */
export class LabelValues {
  private readonly allowed: ReadonlySet<string>;

  constructor(...sets: Iterable<string>[]) {
    this.allowed = new Set(sets.flatMap((set) => [...set]));
  }

  /** `value` when it is in the set, else `other`. */
  of(value: string | null | undefined): string {
    return typeof value === 'string' && this.allowed.has(value) ? value : OTHER_LABEL;
  }
}
