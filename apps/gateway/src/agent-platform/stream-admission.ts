import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, ShutdownState } from '@app/common';
import { AppConfig } from '../config';

/**
 * Admission of new `ExecuteWorkflow` streams: refused with UNAVAILABLE once the listeners close on shutdown
 * (Workhorse retries only UNAVAILABLE, agent-platform.md §1) or when `maxConcurrentStreams` calls already run.
 * While readiness alone fails (the unready delay), streams are still admitted: the pod still gets traffic.
 */
@Injectable()
export class StreamAdmission {
  private active = 0;

  constructor(
    private readonly shutdown: ShutdownState,
    private readonly config: AppConfig,
  ) {}

  get openStreams(): number {
    return this.active;
  }

  /** Returns the release function of the admitted stream. */
  admit(): () => void {
    if (this.shutdown.isClosing) throw new AppError(ErrorCode.Unavailable, 'Server is shutting down');
    const limit = this.config.agentPlatform.maxConcurrentStreams;
    if (this.active >= limit)
      throw new AppError(ErrorCode.Unavailable, `Too many concurrent workflow streams (limit ${limit})`);
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
    };
  }
}
