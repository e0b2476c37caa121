import { Injectable, Logger } from '@nestjs/common';
import { Chunk, Completion, ModelRequest, ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { CallAttempts } from './call-attempts';
import { RoutePlan } from './model-routes';
import { PoolMetrics } from './pool-metrics';

/** One call to one backend, as `ModelService` makes it. */
export type BackendCall<T> = (target: ModelTarget, request: ModelRequest) => T;

/**
 * Runs a routed call over its plan's backends: a failure that is safe to retry (see `isRetryableFailure`) moves
 * the call to another backend, or to the next fallback pool, as long as nothing reached the caller yet — for a
 * stream, until its first chunk.
 */
@Injectable()
export class PooledCalls {
  private readonly logger = new Logger('models.pools');

  constructor(private readonly metrics: PoolMetrics) {}

  async generate(
    plan: RoutePlan,
    target: ModelTarget,
    request: ModelRequest,
    call: BackendCall<Promise<Completion>>,
  ): Promise<Completion> {
    const attempts = new CallAttempts(plan, target, request, this.metrics, this.logger);
    for (;;) {
      const attempt = attempts.next();
      try {
        const completion = await call(attempt.target, attempt.request);
        attempt.end();
        return completion;
      } catch (error) {
        attempt.end(error);
        if (!attempts.mayRetry(error)) throw error;
      }
    }
  }

  async *stream(
    plan: RoutePlan,
    target: ModelTarget,
    request: ModelRequest,
    call: BackendCall<AsyncGenerator<Chunk>>,
  ): AsyncGenerator<Chunk> {
    const attempts = new CallAttempts(plan, target, request, this.metrics, this.logger);
    for (;;) {
      const attempt = attempts.next();
      const chunks = call(attempt.target, attempt.request);
      let next: IteratorResult<Chunk>;
      try {
        next = await chunks.next();
      } catch (error) {
        attempt.end(error);
        if (attempts.mayRetry(error)) continue;
        throw error;
      }
      attempt.answered();
      let failure: unknown;
      let finished = false;
      try {
        for (; !next.done; next = await chunks.next()) yield next.value;
        finished = true;
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        if (!finished && failure === undefined) await chunks.return(undefined);
        attempt.end(failure, !finished && failure === undefined);
      }
      return;
    }
  }
}
