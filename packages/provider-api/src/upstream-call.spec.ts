import { once } from 'node:events';
import { ErrorCode } from './errors/app-error';
import { UpstreamCall } from './upstream-call';

describe(UpstreamCall.name, () => {
  it("runs under the caller's signal as it is when there is no time budget", () => {
    const caller = new AbortController();
    expect(new UpstreamCall({ signal: caller.signal }).signal).toBe(caller.signal);
  });

  it('aborts when the caller aborts, and then reads as a cancellation', () => {
    const caller = new AbortController();
    const call = new UpstreamCall({ signal: caller.signal, timeoutS: 60 });
    caller.abort();
    expect(call.signal?.aborted).toBe(true);
    expect(call.failure(new Error('aborted'), 'response')).toMatchObject({ code: ErrorCode.Cancelled });
    call.end();
  });

  it('starts aborted when the caller already aborted', () => {
    const caller = new AbortController();
    caller.abort();
    expect(new UpstreamCall({ signal: caller.signal, timeoutS: 60 }).signal?.aborted).toBe(true);
  });

  it('aborts past the budget, and then reads as a model timeout', async () => {
    const call = new UpstreamCall({ timeoutS: 0.02 });
    await once(call.signal!, 'abort');
    expect(call.failure(new Error('aborted'), 'response')).toMatchObject({
      code: ErrorCode.ModelTimeout,
      message: 'Model server did not finish within 0.02s',
    });
  });

  it('once ended, neither the budget nor the caller aborts it', async () => {
    const caller = new AbortController();
    const call = new UpstreamCall({ signal: caller.signal, timeoutS: 0.02 });
    call.end();
    caller.abort();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(call.signal?.aborted).toBe(false);
  });
});
