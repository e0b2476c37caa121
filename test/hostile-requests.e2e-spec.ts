import { once } from 'node:events';
import { connect } from 'node:net';
import { ccBody } from './helpers/code-suggestion-bodies';
import { useGatewayStack } from './helpers/gateway-stack';
import { postHead, rawExchange } from './helpers/raw-http';

/** Issue 15 items 1, 3–6: what an attacker sends, against the booted app. */
describe('hostile requests', () => {
  const stack = useGatewayStack();
  const port = () => Number(new URL(stack.gateway.baseUrl).port);
  const metricsText = async () => {
    const response = await fetch(stack.gateway.metricsUrl);
    return { status: response.status, text: await response.text() };
  };

  describe('metric labels come from fixed sets (item 1)', () => {
    it('refuses a 1 MB model identifier with 422 and keeps /metrics small', async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const identifier = `custom_openai/${String(attempt).repeat(1_000_000)}`;
        const response = await stack.post(
          '/v2/code/completions',
          ccBody(stack.model.url, { model_identifier: identifier }),
        );
        expect(response.status).toBe(422);
        expect(JSON.stringify(await response.json())).toContain('model_identifier');
      }
      const metrics = await metricsText();
      expect(metrics.status).toBe(200);
      expect(metrics.text.length).toBeLessThan(1_000_000);
    });

    it.each(['/v2/chat/agent', '/v1/prompts/chat/explain_code'])(
      'refuses a 1 MB model_metadata identifier on %s with 422 naming it',
      async (path) => {
        const identifier = `custom_openai/${'m'.repeat(1_000_000)}`;
        const response = await stack.post(path, {
          messages: [{ role: 'user', content: 'hi' }],
          inputs: { content: 'x' },
          model_metadata: { provider: 'openai', name: 'mistral', endpoint: stack.model.url, identifier },
        });
        expect(response.status).toBe(422);
        expect(JSON.stringify(await response.json())).toContain('identifier');
      },
    );

    it('labels 5,000 distinct telemetry experiment names and model names as other', async () => {
      const before = (await metricsText()).text.length;
      for (let request = 0; request < 50; request += 1) {
        const telemetry = Array.from({ length: 10 }, (_, item) => ({
          model_engine: `engine-${request}-${item}`,
          model_name: `name-${request}-${item}`,
          lang: `lang-${request}-${item}`,
          experiments: Array.from({ length: 10 }, (__, e) => ({ name: `exp-${request}-${item}-${e}`, variant: e })),
          requests: 1,
          accepts: 0,
          errors: 0,
        }));
        const response = await stack.post('/v2/code/completions', ccBody(stack.model.url, { telemetry }));
        expect(response.status).toBe(200);
      }
      const metrics = await metricsText();
      expect(metrics.status).toBe(200);
      expect(metrics.text.length - before).toBeLessThan(20_000);
      expect(metrics.text).not.toContain('exp-0-0-0');
      expect(metrics.text).toContain(
        'code_suggestions_requests_total{model_engine="other",model_name="other",lang="other",exp_names="other",exp_variants="other"} 500',
      );
    });
  });

  describe('telemetry counts (item 6)', () => {
    it.each([
      [-1, 'Input should be greater than or equal to 0'],
      [1e308, 'Input should be less than or equal to 2147483647'],
      [1.5, 'Input should be a valid integer'],
    ])('refuses requests: %p with 422 naming the field, before any model call', async (requests, msg) => {
      const calls = stack.model.requests.length;
      const telemetry = [{ requests, accepts: 0, errors: 0 }];
      const response = await stack.post('/v2/code/completions', ccBody(stack.model.url, { telemetry }));
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({
        detail: [expect.objectContaining({ loc: ['body', 2, 'telemetry', 0, 'requests'], msg })],
      });
      expect(stack.model.requests.length).toBe(calls);
    });
  });

  describe("a client's mistake is never a 5xx (item 6)", () => {
    const metadata = { source: 'gitlab', version: '1' };
    const chat = (components: unknown) => ({ prompt_components: components });
    const question = { role: 'user', content: 'hi', context: null, current_file: null };
    it.each<[string, string, () => unknown, string]>([
      ['/v1/chat/agent', 'component without payload', () => chat([{ type: 'x', metadata }]), 'payload'],
      ['/v1/chat/agent', 'payload: []', () => chat([{ type: 'x', metadata, payload: [] }]), 'payload'],
      ['/v1/chat/agent', 'prompt_components: [[]]', () => chat([[]]), 'prompt_components'],
      [
        '/v1/chat/agent',
        'an own constructor key in model_endpoint',
        () => chat([{ type: 'x', metadata, payload: { content: 'hi', model_endpoint: { constructor: 1 } } }]),
        'constructor',
      ],
      [
        '/v4/code/suggestions',
        'an own constructor key in a v4 payload',
        () => ({ prompt_components: [{ type: 'code_editor_completion', payload: { constructor: 'x' } }] }),
        'constructor',
      ],
      [
        '/v2/code/completions',
        'a model API key with a newline',
        () => ccBody(stack.model.url, { model_api_key: 'a\nb' }),
        'model_api_key',
      ],
      [
        '/v2/code/completions',
        'a model API key outside ASCII',
        () => ccBody(stack.model.url, { model_api_key: 'Ω' }),
        'model_api_key',
      ],
      ['/v2/chat/agent', 'no model_metadata', () => ({ messages: [question] }), 'model_metadata'],
      [
        '/v2/chat/agent',
        'model_metadata without provider',
        () => ({ messages: [question], model_metadata: { name: 'mistral' } }),
        'provider',
      ],
    ])('%s: %s → 422 naming the field, no model call', async (path, _case, body, field) => {
      const calls = stack.model.requests.length;
      const response = await stack.post(path, body());
      expect(response.status).toBe(422);
      expect(JSON.stringify(await response.json())).toContain(field);
      expect(stack.model.requests.length).toBe(calls);
    });
  });

  describe('deeply nested JSON (item 4)', () => {
    it.each([
      '/v2/code/completions',
      '/v2/code/generations',
      '/v3/code/completions',
      '/v4/code/suggestions',
      '/v1/chat/agent',
      '/v2/chat/agent',
      '/v1/prompts/chat/explain_code',
      '/v1/embeddings/code_embeddings',
      '/v1/search/gitlab-docs',
      '/v1/code/user_access_token',
    ])('answers 422 for 65 and 3,000 levels on %s', async (path) => {
      for (const levels of [65, 3_000]) {
        const body = `{"prompt_version": 2, "a": ${'['.repeat(levels)}${']'.repeat(levels)}}`;
        const response = await fetch(`${stack.gateway.baseUrl}${path}`, {
          method: 'POST',
          headers: stack.headers(),
          body,
        });
        expect(response.status).toBe(422);
        const { detail } = (await response.json()) as { detail: Array<{ msg: string }> };
        expect(detail[0].msg).toContain('deeper than 64 levels');
      }
    });
  });

  describe('body sizes (item 5)', () => {
    it('answers 413 past a route limit, without reading the body, and closes', async () => {
      const exchange = await rawExchange(
        port(),
        postHead('/v1/code/user_access_token', { ...stack.headers(), 'content-length': 2 * 1024 * 1024 }),
      );
      expect(await exchange.status).toBe(413);
      await exchange.closed;
    });

    it('answers 413 for a 70 MB code suggestions body', async () => {
      const exchange = await rawExchange(
        port(),
        postHead('/v2/code/completions', { ...stack.headers(), 'content-length': 70_000_000 }),
      );
      expect(await exchange.status).toBe(413);
      await exchange.closed;
    });

    it('takes a 50 MB code suggestions body (100 context items of 500,000 characters)', async () => {
      const context = Array.from({ length: 100 }, (_, index) => ({
        type: 'file',
        name: `f${index}.py`,
        content: 'x'.repeat(500_000),
      }));
      const response = await stack.post('/v2/code/completions', ccBody(stack.model.url, { context }));
      expect(response.status).toBe(200);
    });
  });

  describe('slow bodies (item 3)', () => {
    const slow = useGatewayStack({ env: { AIGW_HTTP__BODY_TIMEOUT_S: '1' } });
    const slowPort = () => Number(new URL(slow.gateway.baseUrl).port);

    it('answers 408 and closes when a body trickles past AIGW_HTTP__BODY_TIMEOUT_S', async () => {
      const exchange = await rawExchange(
        slowPort(),
        postHead('/v2/chat/agent', { ...slow.headers(), 'content-length': 100 }),
      );
      const started = Date.now();
      const trickle = setInterval(() => exchange.write('{'), 100);
      try {
        expect(await exchange.status).toBe(408);
        await exchange.closed;
      } finally {
        clearInterval(trickle);
      }
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(exchange.received).toContain('"detail":"The request body did not arrive within 1 s"');
    });

    it('lets a client that sent its whole body before reading get the 401, not a reset (as NGINX sends)', async () => {
      const socket = connect(slowPort(), '127.0.0.1');
      await once(socket, 'connect');
      socket.pause();
      const body = 'x'.repeat(4 * 1024 * 1024);
      socket.write(`${postHead('/v2/code/completions', { 'content-length': body.length }).join('\r\n')}\r\n\r\n`);
      socket.write(body);
      await new Promise((resolve) => setTimeout(resolve, 500));
      let received = '';
      let failure: Error | undefined;
      socket.on('data', (data) => (received += data.toString('latin1')));
      socket.on('error', (error) => (failure = error));
      socket.resume();
      await once(socket, 'close');
      expect(failure).toBeUndefined();
      expect(received).toMatch(/^HTTP\/1\.1 401 /);
    });

    it('closes a refused (401) request without reading its body', async () => {
      const exchange = await rawExchange(slowPort(), postHead('/v2/chat/agent', { 'content-length': 1_000_000 }));
      exchange.write('{');
      expect(await exchange.status).toBe(401);
      await exchange.closed;
      expect(exchange.received.toLowerCase()).toContain('connection: close');
    });
  });

  describe('in-flight body budget (item 5)', () => {
    const small = useGatewayStack({ env: { AIGW_HTTP__MAX_INFLIGHT_BODY_BYTES: String(1024 * 1024) } });
    const sendBody = () =>
      fetch(`${small.gateway.baseUrl}/v2/chat/agent`, {
        method: 'POST',
        headers: small.headers(),
        body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(300_000) }], x: 1 }).slice(0, -1),
      });
    /** Sends until the answer is (or is not) 503, as the slow body's bytes arrive or leave. */
    const untilStatus = async (wanted: (status: number) => boolean) => {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const response = await sendBody();
        await response.arrayBuffer();
        if (wanted(response.status)) return response;
      }
      throw new Error('the status never came');
    };

    it('answers 503 with Retry-After while other bodies hold the budget, and recovers', async () => {
      const port = Number(new URL(small.gateway.baseUrl).port);
      const slow = await rawExchange(
        port,
        postHead('/v2/chat/agent', { ...small.headers(), 'content-length': 1_000_000 }),
      );
      slow.write(' '.repeat(900_000));
      const refused = await untilStatus((status) => status === 503);
      expect(refused.headers.get('retry-after')).toBe('1');
      slow.socket.destroy();
      const accepted = await untilStatus((status) => status !== 503);
      expect(accepted.status).toBe(422);
    });
  });
});
