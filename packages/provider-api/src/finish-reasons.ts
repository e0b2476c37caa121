import { FinishReason } from './model-types';

/** The canonical finish reason by a provider's own table of wire values; anything else is `unknown`. */
export function finishReasonMapper(table: Readonly<Record<string, FinishReason>>): (reason: unknown) => FinishReason {
  return (reason) => (typeof reason === 'string' && Object.hasOwn(table, reason) ? table[reason] : 'unknown');
}
