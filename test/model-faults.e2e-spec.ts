import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { FAULT_FREE_TEXT, FaultModelServer, MODEL_FAULTS, ModelFault } from './fakes/fault-model-server';
import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';
import { H_SCOPES } from './helpers/tokens';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Longest any answer may take under any fault: the read timeout is 1 s here, a trickled answer about 3 s. */
const DEADLINE_MS = 8_000;
/** A streamed answer is read this far, then the client hangs up. */
const MAX_READ_BYTES = 2 * 1024 * 1024;

interface Shape {
  name: string;
  path: string;
  body: (url: string) => unknown;
  /** Statuses a model failure may give on this route (http-api.md §0.1, §2.6, §3.2; gitlab-versions.md §3). */
  failures: number[];
}

const SHAPES: Shape[] = [
  { name: 'code completion', path: '/v2/code/completions', body: (url) => ccBody(url), failures: [429, 503] },
  {
    name: 'streamed code completion',
    path: '/v2/code/completions',
    body: (url) => ccBody(url, { stream: true }),
    failures: [200, 429, 503],
  },
  {
    name: 'code generation',
    path: '/v2/code/generations',
    body: (url) => ccBody(url, { prompt: 'Write a sum function', model_name: 'mistral' }),
    failures: [429, 503],
  },
  {
    name: 'Duo Chat agent stream',
    path: '/v2/chat/agent',
    body: (url) => ({
      messages: [{ role: 'user', content: 'hi', context: null, current_file: null }],
      model_metadata: { provider: 'openai', name: 'mistral', endpoint: url, api_key: 'k' },
    }),
    failures: [200, 429, 502, 503, 504],
  },
  {
    name: 'legacy chat',
    path: '/v1/chat/agent',
    body: (url) => ({
      prompt_components: [
        {
          type: 'prompt',
          metadata: { source: 'gitlab', version: '1' },
          payload: { content: 'hi', provider: 'litellm', model: 'mistral', model_endpoint: url, model_api_key: 'k' },
        },
      ],
    }),
    // http-api.md §3.2: a LiteLLM chat failure is the contract's 500.
    failures: [429, 500, 502, 503, 504],
  },
];

/** Reads at most {@link MAX_READ_BYTES}, then cancels: a client that has seen enough. */
async function readSome(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    size += value.length;
    if (size >= MAX_READ_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

const heapAfterGc = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** Issue 15: every upstream fault × the endpoint shapes — status, deadline, sockets closed, memory back. */
describe('model server faults', () => {
  let fake: FaultModelServer;
  const stack = useGatewayStack({ env: { AIGW_MODEL_CLIENT__READ_TIMEOUT_S: '1' } });
  let baseline = 0;

  beforeAll(async () => {
    fake = await FaultModelServer.start();
  });
  afterAll(() => fake.close());

  const call = async (shape: Shape, fault: ModelFault) => {
    fake.fault = fault;
    const started = Date.now();
    const response = await fetch(`${stack.gateway.baseUrl}${shape.path}`, {
      method: 'POST',
      headers: stack.headers([...H_SCOPES, 'include_file_context']),
      body: JSON.stringify(shape.body(fake.url)),
      signal: AbortSignal.timeout(DEADLINE_MS * 2),
    });
    const text = await readSome(response);
    return { response, text, elapsedMs: Date.now() - started };
  };

  it('answers every shape when nothing is wrong (the baseline)', async () => {
    for (const shape of SHAPES) {
      const { response, text } = await call(shape, 'none');
      expect([shape.name, response.status]).toEqual([shape.name, 200]);
      if (!shape.path.startsWith('/v2/chat')) expect(text).toContain(FAULT_FREE_TEXT);
    }
    await fake.allSocketsClosed();
    baseline = heapAfterGc();
  });

  describe.each(MODEL_FAULTS.map((fault) => [fault]))('%s', (fault) => {
    it.each(SHAPES.map((shape) => [shape.name, shape]))(
      '%s: a prescribed status within the deadline, and the model connection closed',
      async (_name, shape) => {
        const { response, text, elapsedMs } = await call(shape, fault);
        expect(elapsedMs).toBeLessThan(DEADLINE_MS);
        if (fault === 'trickle') {
          expect(response.status).toBe(200);
        } else {
          expect(shape.failures).toContain(response.status);
        }
        if (fault === 'status429' && response.status === 429 && shape.path.startsWith('/v2/code')) {
          expect(response.headers.get('retry-after')).toBe('7');
        }
        if (response.status === 500) expect(text).toBe('Internal Server Error');
        await fake.allSocketsClosed();
        expect(fake.openSockets).toBe(0);
      },
    );
  });

  it('is back to its baseline heap after all the faults', () => {
    expect(heapAfterGc() - baseline).toBeLessThan(64 * 1024 * 1024);
  });
});
