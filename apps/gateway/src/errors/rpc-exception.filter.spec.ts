import { status as GrpcStatus } from '@grpc/grpc-js';
import { AppError, ErrorCode } from '@app/common';
import { recordingLogger } from '@test/helpers/recording-logger';
import { RpcErrorFilter } from './rpc-exception.filter';

describe(RpcErrorFilter.name, () => {
  it('answers an unexpected error with exactly "Something went wrong: <Type>: <msg>" (agent-platform.md §4.4)', () => {
    const { entries, logger } = recordingLogger();
    const payload = new RpcErrorFilter(logger).toPayload(new TypeError('x is not a function'));
    expect(payload).toMatchObject({
      code: GrpcStatus.INTERNAL,
      details: 'Something went wrong: TypeError: x is not a function',
      message: 'Something went wrong: TypeError: x is not a function',
    });
    const [errorId] = payload.metadata?.get('x-error-id') ?? [];
    expect(errorId).toMatch(/^[0-9a-f]{32}$/);
    expect(entries).toEqual([expect.objectContaining({ fields: expect.objectContaining({ error_id: errorId }) })]);
  });

  it('passes an AppError on with its status and message, without logging it', () => {
    const { entries, logger } = recordingLogger();
    const payload = new RpcErrorFilter(logger).toPayload(
      new AppError(ErrorCode.ResourceExhausted, 'Outgoing message too large.'),
    );
    expect(payload).toEqual({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      details: 'Outgoing message too large.',
      message: 'Outgoing message too large.',
    });
    expect(entries).toEqual([]);
  });

  it('answers a contract 500 exactly as an unexpected error, logged at warn without a stack', () => {
    const { entries, logger } = recordingLogger();
    const payload = new RpcErrorFilter(logger).toPayload(
      new AppError(ErrorCode.InternalByContract, 'Failed to generate JWT'),
    );
    expect(payload).toMatchObject({
      code: GrpcStatus.INTERNAL,
      details: 'Something went wrong: AppError: Failed to generate JWT',
    });
    const [errorId] = payload.metadata?.get('x-error-id') ?? [];
    expect(entries).toEqual([
      {
        level: 'warn',
        fields: { logger: 'grpc.error', error_id: errorId, error_code: 'internal_by_contract' },
        message: 'Failed to generate JWT',
      },
    ]);
  });
});
