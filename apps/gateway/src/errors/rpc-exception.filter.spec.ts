import { status as GrpcStatus } from '@grpc/grpc-js';
import { AppError, ErrorCode } from '@app/common';
import { RootLogger } from '../logging/logging.module';
import { RpcErrorFilter } from './rpc-exception.filter';

/** Records what the filter logs. */
function recordingLogger() {
  const entries: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const logger = { error: (fields: Record<string, unknown>, message: string) => entries.push({ fields, message }) };
  return { entries, logger: logger as unknown as RootLogger };
}

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
});
