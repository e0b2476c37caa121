import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';

/** The old default pool size (`AIGW_MODEL_CLIENT__MAX_CONNECTIONS_PER_ORIGIN=256`): stream 257 waited unseen. */
const OLD_POOL_SIZE = 256;
const STREAMS = OLD_POOL_SIZE + 44;
/** The OpenAI text-completion stream of the stand-in: one event per chunk. */
const FIRST_CHUNK_EVENTS = 1;

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Reads a streamed response to its end: when its first body byte and its end arrived, and the text. */
async function timedStream(response: Response, onFirstByte: () => void) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let firstByteAt = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    if (firstByteAt === 0) {
      firstByteAt = performance.now();
      onFirstByte();
    }
    text += decoder.decode(read.value, { stream: true });
  }
  return { status: response.status, text, firstByteAt, endedAt: performance.now() };
}

describe('model connections: no silent queue (issue 21)', () => {
  const stack = useGatewayStack();

  it(`gives ${STREAMS} concurrent streams to one model server their first byte before any of them ends`, async () => {
    const allStarted = gate();
    let started = 0;
    stack.model.script({
      chunks: ['ret', 'urn'],
      pauseAfterChunks: { count: FIRST_CHUNK_EVENTS, until: allStarted.opened },
    });
    const onFirstByte = () => {
      started += 1;
      if (started === STREAMS) allStarted.open();
    };
    // Past this wait the streams finish anyway, so a queue behind a pool shows as a failed assertion, not a hang.
    const deadline = setTimeout(allStarted.open, 20_000);
    const body = ccBody(stack.model.url, { stream: true });
    const streams = await Promise.all(
      Array.from({ length: STREAMS }, () =>
        stack.post('/v2/code/completions', body).then((response) => timedStream(response, onFirstByte)),
      ),
    );
    clearTimeout(deadline);

    expect(streams.map((stream) => `${stream.status} ${stream.text}`)).toEqual(Array(STREAMS).fill('200 return'));
    const lastFirstByte = Math.max(...streams.map((stream) => stream.firstByteAt));
    const firstEnd = Math.min(...streams.map((stream) => stream.endedAt));
    expect(lastFirstByte).toBeLessThan(firstEnd);
    expect(stack.model.peakInFlight).toBe(STREAMS);
  }, 60_000);
});

/** The `model_inferences_total` labels of a `ccBody` call: what a limit is keyed by. */
const MODEL_NAME = 'Codegemma Code Completions';
const LABELS = `model_engine="agent",model_name="${MODEL_NAME}"`;

describe('AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS (issue 21)', () => {
  const stack = useGatewayStack({
    env: {
      AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS: JSON.stringify({ agent: { [MODEL_NAME]: 2 } }),
      AIGW_MODEL_CLIENT__QUEUE_TIMEOUT_S: '0.3',
      AIGW_MODEL_CLIENT__KEEP_ALIVE_TIMEOUT_S: '0.2',
    },
  });
  const metrics = async () => (await fetch(stack.gateway.metricsUrl)).text();

  it('queues past the limit, answers 503 with Retry-After after the wait, and gives every slot and socket back', async () => {
    const release = gate();
    stack.model.script({
      chunks: ['ret', 'urn'],
      pauseAfterChunks: { count: FIRST_CHUNK_EVENTS, until: release.opened },
    });
    const body = ccBody(stack.model.url, { stream: true });
    const firstBytes: Array<Promise<void>> = [];
    const held = Array.from({ length: 2 }, () => {
      const firstByte = gate();
      firstBytes.push(firstByte.opened);
      return stack.post('/v2/code/completions', body).then((response) => timedStream(response, firstByte.open));
    });
    await Promise.all(firstBytes);

    const refusedAt = performance.now();
    const refused = await stack.post('/v2/code/completions', body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      detail:
        'Too many concurrent requests to model Codegemma Code Completions: its limit of concurrent inferences is reached',
    });
    expect(performance.now() - refusedAt).toBeGreaterThanOrEqual(290);

    const queued = stack.post('/v2/code/completions', body).then((response) => timedStream(response, () => {}));
    const waiting = `model_inferences_queue_length{${LABELS}} 1`;
    while (!(await metrics()).includes(waiting));
    release.open();
    const answers = await Promise.all([...held, queued]);
    expect(answers.map((answer) => `${answer.status} ${answer.text}`)).toEqual(Array(3).fill('200 return'));
    expect(stack.model.requests).toHaveLength(3);

    const text = await metrics();
    expect(text).toContain(`model_inferences_max_concurrent{${LABELS}} 2`);
    expect(text).toContain(`model_inferences_queue_length{${LABELS}} 0`);
    expect(text).toContain(`model_inferences_rejected_total{${LABELS},reason="queue_timeout"} 1`);
    expect(text).toContain(`model_inferences_queue_wait_seconds_count{${LABELS}} 2`);
    await stack.model.waitForOpenConnections(0);
  });
});
