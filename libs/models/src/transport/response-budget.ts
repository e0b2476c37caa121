import { Inject, Injectable } from '@nestjs/common';
import { MODELS_OPTIONS, ModelsOptions } from '../models-options';
import { sizeText } from '@gitlab-ai-gateway/provider-api';

export { ResponseBudgetExceeded } from '@gitlab-ai-gateway/provider-api';

/** `AIGW_MODEL_CLIENT__MAX_BUFFERED_BYTES` when the options leave it out. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

/**
 * The bytes of whole (non-streamed) model answers this process holds at once, across all calls. Each answer is
 * bounded on its own (`MAX_RESPONSE_BYTES`), but many concurrent answers from a hostile endpoint would still add
 * up; past this budget the call whose bytes would exceed it fails, the others go on.
 */
@Injectable()
export class ResponseBudget {
  readonly maxBytes: number;
  private used = 0;

  constructor(@Inject(MODELS_OPTIONS) options: Pick<ModelsOptions, 'maxBufferedBytes'>) {
    this.maxBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  }

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `bytes` from the budget; false, taking nothing, when they do not fit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  giveBack(bytes: number): void {
    this.used -= bytes;
  }

  /** For the failure's message. */
  describe(): string {
    return sizeText(this.maxBytes);
  }
}
