import { ClientDuplexStream, Metadata } from '@grpc/grpc-js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ccBody } from '../helpers/code-suggestion-bodies';
import { FakeOidcProvider } from '../fakes/oidc-provider';
import { startOpenAiFake } from '../fakes/openai-compatible.server';
import { startGateway } from '../helpers/gateway';
import { authHeaders, H_SCOPES, toMetadata, workflowAuthHeaders } from '../helpers/tokens';
import { duoWorkflowClient } from '../helpers/grpc-clients';

/**
 * `npm run soak` (issue 15): SOAK_MINUTES (default 5) of mixed traffic — whole and streamed completions,
 * generations, both chat routes, refused requests, Agent Platform workflows and catalogue calls — against the
 * gateway in this process, sampling RSS and the heap after a full GC every 15 s. After a warm-up (the first 40 %
 * of the run), both must stay flat: heap after GC within HEAP_BOUND, RSS within RSS_BOUND of the first sample.
 */
const MINUTES = Number(process.env.SOAK_MINUTES ?? 5);
const CONCURRENCY = 16;
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_S ?? 15) * 1000;
/** V8 sizes its heap and code space to the load first: RSS climbs for about two minutes of a five-minute run. */
const WARM_UP_MS = MINUTES * 60_000 * 0.4;
const HEAP_BOUND = 16 * 1024 * 1024;
const RSS_BOUND = 64 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  atS: number;
  requests: number;
  rss: number;
  heapAfterGc: number;
}

async function main(): Promise<void> {
  const [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake()]);
  model.script({ text: 'Final Answer: return a + b', chunks: ['Final Answer: ', 'return ', 'a + b'] });
  const gateway = await startGateway({
    AIGW_GITLAB_URL: gitlab.issuer,
    AIGW_CUSTOM_MODELS__ENABLED: 'true',
  });
  const headers = {
    ...authHeaders(gitlab, [...H_SCOPES, 'include_file_context']),
    'content-type': 'application/json',
  };
  const statuses: Record<number, number> = {};
  const metadata = { provider: 'openai', name: 'mistral', endpoint: model.url, api_key: 'k' };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gateway.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    await response.arrayBuffer();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    return response.status;
  };
  // One client for every call, as Workhorse holds one channel: the soak measures the gateway, not its clients.
  const client = duoWorkflowClient(gateway.grpcAddress) as unknown as {
    ExecuteWorkflow(metadata: Metadata): ClientDuplexStream<object, object>;
  };
  const workflow = () =>
    new Promise<void>((resolve) => {
      const grpcMetadata = toMetadata(workflowAuthHeaders(gitlab));
      grpcMetadata.set('x-gitlab-agent-platform-model-metadata', JSON.stringify(metadata));
      const call = client.ExecuteWorkflow(grpcMetadata);
      call.on('data', () => undefined);
      call.on('error', () => undefined);
      call.on('status', () => resolve());
      call.write({
        startRequest: { workflowID: '42', goal: 'Say hi', workflowDefinition: 'chat', clientCapabilities: [] },
      });
      call.end();
    });
  const mix: Array<[number, () => Promise<unknown>]> = [
    [40, () => post('/v2/code/completions', ccBody(model.url))],
    [15, () => post('/v2/code/completions', ccBody(model.url, { stream: true }))],
    [10, () => post('/v2/code/generations', ccBody(model.url, { prompt: 'sum', model_name: 'mistral' }))],
    [
      10,
      () =>
        post('/v2/chat/agent', {
          messages: [{ role: 'user', content: 'hi', context: null, current_file: null }],
          model_metadata: metadata,
        }),
    ],
    [10, () => post('/v2/code/completions', { prompt_version: 2, telemetry: [{ requests: -1 }] })],
    [10, workflow],
    [5, () => post('/v1/code/user_access_token', undefined)],
  ];
  // SOAK_ONLY=<n> keeps one kind of traffic, to find which one holds memory.
  if (process.env.SOAK_ONLY !== undefined) mix.splice(0, mix.length, mix[Number(process.env.SOAK_ONLY)]);
  const total = mix.reduce((sum, [weight]) => sum + weight, 0);
  let requests = 0;
  let failures = 0;
  const stopAt = Date.now() + MINUTES * 60_000;
  const started = Date.now();
  const worker = async (id: number) => {
    for (let n = id; Date.now() < stopAt; n += CONCURRENCY) {
      let roll = (n * 7919) % total;
      const [, send] = mix.find(([weight]) => (roll -= weight) < 0)!;
      await send().catch(() => (failures += 1));
      requests += 1;
    }
  };
  const samples: Sample[] = [];
  const sample = () => {
    // The stand-in records every request it answers: bookkeeping of this process, not the gateway's memory.
    model.requests.splice(0);
    gc();
    samples.push({
      atS: Math.round((Date.now() - started) / 1000),
      requests,
      rss: process.memoryUsage().rss,
      heapAfterGc: process.memoryUsage().heapUsed,
    });
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => worker(id)));
  clearInterval(sampler);
  sample();
  (client as unknown as { close(): void }).close();
  await gateway.close();
  await Promise.all([model.close(), gitlab.close()]);

  const afterWarmUp = samples.filter((entry) => entry.atS * 1000 >= WARM_UP_MS);
  const steady = afterWarmUp.length > 0 ? afterWarmUp : samples;
  const first = steady[0];
  const last = samples.at(-1)!;
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const maxHeap = Math.max(...steady.map((entry) => entry.heapAfterGc));
  const maxRss = Math.max(...steady.map((entry) => entry.rss));
  const heapGrowth = maxHeap - first.heapAfterGc;
  const rssGrowth = maxRss - first.rss;
  const lines = [
    `| t (s) | requests | RSS (MiB) | heap after GC (MiB) |`,
    `|---:|---:|---:|---:|`,
    ...samples.map((entry) => `| ${entry.atS} | ${entry.requests} | ${mib(entry.rss)} | ${mib(entry.heapAfterGc)} |`),
    '',
    `${requests} requests in ${MINUTES} min (${Math.round(requests / (MINUTES * 60))}/s), ${failures} transport failures; HTTP statuses ${JSON.stringify(statuses)}.`,
    `After the warm-up: heap after GC ${mib(first.heapAfterGc)} → max ${mib(maxHeap)} MiB (+${mib(heapGrowth)}, bound ${mib(HEAP_BOUND)}); ` +
      `RSS ${mib(first.rss)} → max ${mib(maxRss)} MiB (+${mib(rssGrowth)}, bound ${mib(RSS_BOUND)}); last sample RSS ${mib(last.rss)} MiB.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const flat = heapGrowth <= HEAP_BOUND && rssGrowth <= RSS_BOUND && failures === 0;
  process.stdout.write(flat ? 'soak passed\n' : 'soak FAILED\n');
  process.exitCode = flat ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
