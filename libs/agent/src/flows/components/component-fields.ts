import { ComponentConfig } from '../flow-config';
import { FlowConfigError, parseStatePath, StatePath } from '../state-path';

/**
 * Typed reads of one component's config with pydantic-style errors whose location names the field inside the
 * flow (`components.2.prompt_id: Field required`), so a broken file points at the line to fix.
 */
export class ComponentFields {
  readonly name: string;
  readonly type: string;

  constructor(
    private readonly raw: ComponentConfig,
    private readonly index: number,
  ) {
    this.name = this.requiredString('name');
    if (/[:.]/.test(this.name)) {
      throw this.valueError(`Component name '${this.name}' must not contain ':' or '.' characters`);
    }
    this.type = String(raw.type);
  }

  at(field: string): string {
    return `components.${this.index}.${field}`;
  }

  has(field: string): boolean {
    return this.raw[field] !== undefined && this.raw[field] !== null;
  }

  value(field: string): unknown {
    return this.raw[field];
  }

  valueError(message: string): FlowConfigError {
    return new FlowConfigError(`Value error, ${message}`, `components.${this.index}`);
  }

  requiredString(field: string): string {
    const value = this.raw[field];
    if (value === undefined || value === null) throw new FlowConfigError('Field required', this.at(field));
    if (typeof value !== 'string' || value === '') {
      throw new FlowConfigError('Input should be a valid string', this.at(field));
    }
    return value;
  }

  optionalString(field: string): string | undefined {
    return this.has(field) ? this.requiredString(field) : undefined;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.raw[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw new FlowConfigError('Input should be a valid boolean', this.at(field));
    return value;
  }

  /** An integer of at least `minimum`, else the message upstream gives for that field. */
  integer(field: string, fallback: number | undefined, minimum: number, tooSmall: string): number | undefined {
    const value = this.raw[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new FlowConfigError('Input should be a valid integer', this.at(field));
    }
    if (value < minimum) throw this.valueError(tooSmall);
    return value;
  }

  stringList(field: string): string[] {
    const value = this.raw[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new FlowConfigError('Input should be a valid list', this.at(field));
    return value.map((item, index) => {
      if (typeof item !== 'string')
        throw new FlowConfigError('Input should be a valid string', this.at(`${field}.${index}`));
      return item;
    });
  }

  /** `ui_log_events`, each one of `allowed`. */
  events(allowed: readonly string[]): Set<string> {
    const events = this.stringList('ui_log_events');
    events.forEach((event, index) => {
      if (!allowed.includes(event)) {
        const choices = allowed.map((choice) => `'${choice}'`);
        const list = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
        throw new FlowConfigError(`Input should be ${list}`, this.at(`ui_log_events.${index}`));
      }
    });
    return new Set(events);
  }

  /** `inputs`, defaulting as the component type does; targets outside `targets` are refused. */
  inputs(fallback: unknown[], targets?: readonly string[]): StatePath[] {
    const value = this.raw.inputs ?? fallback;
    if (!Array.isArray(value)) throw new FlowConfigError('Input should be a valid list', this.at('inputs'));
    return value.map((spec, index) => {
      let path: StatePath;
      try {
        path = parseStatePath(spec, this.at(`inputs.${index}`));
      } catch (error) {
        if (error instanceof FlowConfigError && !error.location) throw this.valueError(error.message);
        throw error;
      }
      if (targets && !path.literal && !targets.includes(path.target)) {
        throw this.valueError(`The '${this.type}' component doesn't support the input target '${path.target}'.`);
      }
      return path;
    });
  }
}
