import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { OtlpReceiver, ReceivedSpan } from './fakes/otlp-receiver';
import { GatewayProcess, killSpawnedGateways, spawnGateway } from './helpers/gateway-process';
import { authHeaders } from './helpers/tokens';
import { workflowMetadata, WorkflowStream } from './helpers/workflow-stream';

const SERVER = 2;
const CLIENT = 3;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const W3C_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** Issue 20: spans per request, call, key fetch, prompt, model call and action, exported over OTLP/HTTP. */
describe('OpenTelemetry tracing', () => {
  let collector: OtlpReceiver;
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    [collector, gitlab, model] = await Promise.all([OtlpReceiver.start(), FakeOidcProvider.start(), startOpenAiFake()]);
    gateway = await spawnGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      DUO_WORKFLOW_AUTH__ENABLED: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      AIGW_AUTH__KEY_REFETCH_MIN_INTERVAL_S: '0',
    });
  });
  afterAll(async () => {
    killSpawnedGateways();
    await Promise.all([collector.close(), gitlab.close(), model.close()]);
  });

  const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) =>
    spans.filter((span) => span.parentSpanId === parent.spanId);

  it('traces the start-up fetch of GitLab’s keys as a trace of its own', async () => {
    const fetch = await collector.waitFor((span) => span.name === 'auth.fetch_keys');
    expect(fetch.parentSpanId ?? '').toBe('');
  });

  it('traces a streamed completion under the caller’s traceparent and propagates it to the model', async () => {
    // A key the gateway has not fetched yet: verifying the token fetches GitLab's keys inside the request.
    gitlab.rotate();
    model.script({ chunks: ['return', ' a', ' + b'], usage: { inputTokens: 12, outputTokens: 3 } });
    const seen = model.requests.length;
    const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/v2/code/completions`, {
      method: 'POST',
      headers: {
        ...authHeaders(gitlab),
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`,
      },
      body: JSON.stringify({
        prompt_version: 2,
        prompt: null,
        model_provider: 'litellm',
        model_name: 'codegemma',
        model_endpoint: model.url,
        model_api_key: 'sk-very-secret',
        stream: true,
        current_file: { file_name: 'a.py', content_above_cursor: 'def add(a, b):\n    ', content_below_cursor: '\n' },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('return a + b');

    const request = await collector.waitFor((span) => span.traceId === TRACE_ID && span.kind === SERVER);
    await collector.waitFor(
      (span) => span.traceId === TRACE_ID && span.kind === CLIENT && span.name.includes('codegemma'),
    );
    const spans = collector.trace(TRACE_ID);
    expect(request).toMatchObject({
      name: 'POST /v2/code/completions',
      parentSpanId: CALLER_SPAN_ID,
      attributes: expect.objectContaining({
        'http.request.method': 'POST',
        'http.route': '/v2/code/completions',
        'http.response.status_code': 200,
      }),
      resource: expect.objectContaining({ 'service.name': 'gateway-under-test' }),
    });
    const children = childrenOf(spans, request);
    const names = children.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['auth.fetch_keys', 'prompt.render']));
    const modelCall = children.find((span) => span.kind === CLIENT && span.name.endsWith('codegemma'))!;
    expect(modelCall).toBeDefined();
    expect(modelCall.attributes).toMatchObject({
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'codegemma',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(modelCall.attributes['gen_ai.response.time_to_first_token']).toEqual(expect.any(Number));
    expect(modelCall.events).toContain('gen_ai.first_token');

    // The model request carried the model call span as its parent, in the caller's trace.
    const upstream = (await model.waitForRequests(seen + 1))[seen];
    const [, upstreamTrace, upstreamParent] = W3C_TRACEPARENT.exec(String(upstream.headers.traceparent))!;
    expect(upstreamTrace).toBe(TRACE_ID);
    expect(upstreamParent).toBe(modelCall.spanId);

    // No prompt text, code or keys in any attribute while the verbose setting is off.
    const exported = JSON.stringify(spans);
    for (const secret of ['sk-very-secret', 'def add', 'return a']) expect(exported).not.toContain(secret);

    // Every log line of the request carries the trace id.
    const accessLine = await gateway.waitForLog((line) => line.logger === 'api.access' && line.trace_id === TRACE_ID);
    const requestLines = gateway.logs.filter((line) => line.correlation_id === accessLine.correlation_id);
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.every((line) => line.trace_id === TRACE_ID)).toBe(true);

    console.log(
      `Exported trace of a streamed completion:\n${spans
        .map(
          (span) =>
            `  ${span.name} (${span.kind === SERVER ? 'server' : span.kind === CLIENT ? 'client' : 'internal'}) ${span.durationMs.toFixed(2)} ms`,
        )
        .join('\n')}`,
    );
  });

  it('traces a workflow: the gRPC call, its model calls and each action round trip', async () => {
    model.script(
      { toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"file_path":"README.md"}' }] },
      { chunks: ['The README ', 'says hello.'] },
    );
    const workdir = mkdtempSync(join(tmpdir(), 'workflow-'));
    writeFileSync(join(workdir, 'README.md'), 'Hello from the README');
    const metadata = workflowMetadata({
      modelMetadata: { provider: 'custom_openai', name: 'fake-model', endpoint: model.url, api_key: 'sk-secret' },
      extra: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    });
    const stream = new WorkflowStream(`127.0.0.1:${gateway.grpcPort}`, metadata);
    new FakeExecutor(stream, new FakeGitLab(), workdir);
    stream.send({
      startRequest: {
        workflowID: '42',
        goal: 'What does the README say?',
        workflowDefinition: 'chat',
        clientCapabilities: [],
      },
    });
    expect(await stream.status).toMatchObject({ code: GrpcStatus.OK });

    const call = await collector.waitFor((span) => span.name === 'DuoWorkflow/ExecuteWorkflow');
    expect(call).toMatchObject({
      traceId: 'a'.repeat(32),
      parentSpanId: 'b'.repeat(16),
      kind: SERVER,
      attributes: expect.objectContaining({
        'rpc.system': 'grpc',
        'rpc.method': 'ExecuteWorkflow',
        'rpc.grpc.status_code': 0,
      }),
    });
    const spans = collector.trace(call.traceId);
    const descendants = (parent: ReceivedSpan): ReceivedSpan[] =>
      childrenOf(spans, parent).flatMap((child) => [child, ...descendants(child)]);
    const under = descendants(call);
    const modelCalls = under.filter((span) => span.name === 'chat fake-model');
    expect(modelCalls).toHaveLength(2);
    expect(modelCalls[0].attributes).toMatchObject({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'fake-model' });
    const actions = under.filter((span) => span.name.startsWith('agent.action '));
    expect(actions.map((span) => span.name)).toEqual(expect.arrayContaining(['agent.action runReadFile']));
    expect(actions.every((span) => typeof span.attributes['aigw.action.request_id'] === 'string')).toBe(true);
    expect(JSON.stringify(spans)).not.toContain('Hello from the README');
  });
});
