import { AppError, ErrorCode } from './errors/app-error';
import { ModelRequest } from './model-types';
import { ResponseTooLarge } from './readers/response-limits';
import { CallPhase, malformed, transportError } from './errors/upstream-errors';

/**
 * One call to a model server: the abort signal it runs under (the caller's, plus the whole-request budget
 * `timeoutS`) and how its failures read.
 */
export class UpstreamCall {
  readonly signal?: AbortSignal;
  private readonly deadline?: AbortSignal;

  constructor(private readonly request: Pick<ModelRequest, 'signal' | 'timeoutS'>) {
    this.deadline = request.timeoutS ? AbortSignal.timeout(request.timeoutS * 1000) : undefined;
    const signals = [request.signal, this.deadline].filter((signal): signal is AbortSignal => signal !== undefined);
    this.signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  get cancelled(): boolean {
    return this.request.signal?.aborted === true;
  }

  /** The normalised error for anything thrown while talking to the upstream. */
  failure(error: unknown, phase: CallPhase): AppError {
    if (this.cancelled) return new AppError(ErrorCode.Cancelled, 'The request was cancelled');
    if (error instanceof AppError) return error;
    if (error instanceof ResponseTooLarge) return malformed(error.what);
    if (this.deadline?.aborted) {
      return new AppError(ErrorCode.ModelTimeout, `Model server did not finish within ${this.request.timeoutS}s`);
    }
    return transportError(error, phase);
  }
}
