import { AppError, ErrorCode } from '@app/common';
import { recordingLogger } from '@test/helpers/recording-logger';
import { logInternal } from './internal-error-log';

const SITE = { logger: 'api.error', unhandled: 'Unhandled error' };

describe(logInternal.name, () => {
  it('logs a bug at error as "Unhandled error" with the error itself (its stack)', () => {
    const { entries, logger } = recordingLogger();
    const bug = new TypeError('x is not a function');
    logInternal(logger, SITE, 'id1', bug);
    expect(entries).toEqual([
      { level: 'error', fields: { logger: 'api.error', error_id: 'id1', err: bug }, message: 'Unhandled error' },
    ]);
  });

  it('logs a plain AppError(Internal) as a bug too', () => {
    const { entries, logger } = recordingLogger();
    logInternal(logger, SITE, 'id2', new AppError(ErrorCode.Internal, 'broken invariant'));
    expect(entries).toEqual([expect.objectContaining({ level: 'error', message: 'Unhandled error' })]);
  });

  it('logs a contract 500 at warn with its own message and code, and no error object (no stack)', () => {
    const { entries, logger } = recordingLogger();
    const message = 'Endpoint override not allowed when custom models are disabled.';
    logInternal(logger, SITE, 'id3', new AppError(ErrorCode.InternalByContract, message));
    expect(entries).toEqual([
      {
        level: 'warn',
        fields: { logger: 'api.error', error_id: 'id3', error_code: 'internal_by_contract' },
        message,
      },
    ]);
  });
});
