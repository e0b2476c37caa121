import { AppError, ErrorCode, ShutdownState } from '@app/common';
import { AppConfig } from '../config';
import { StreamAdmission } from './stream-admission';

describe(StreamAdmission.name, () => {
  const config = { agentPlatform: { maxConcurrentStreams: 2 } } as AppConfig;

  it('admits up to the limit and again after a release', () => {
    const admission = new StreamAdmission(new ShutdownState(), config);
    const release = admission.admit();
    admission.admit();
    expect(() => admission.admit()).toThrow(
      new AppError(ErrorCode.Unavailable, 'Too many concurrent workflow streams (limit 2)'),
    );
    release();
    release();
    expect(() => admission.admit()).not.toThrow();
    expect(() => admission.admit()).toThrow(AppError);
  });

  it('admits while only readiness fails, and refuses with UNAVAILABLE once the listeners close', () => {
    const shutdown = new ShutdownState();
    const admission = new StreamAdmission(shutdown, config);
    shutdown.startDraining();
    expect(() => admission.admit()).not.toThrow();
    shutdown.startClosing();
    expect(() => admission.admit()).toThrow(new AppError(ErrorCode.Unavailable, 'Server is shutting down'));
  });
});
