import { join } from 'node:path';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { authHeaders } from '@test/helpers/tokens';
import { HttpTarget } from './http-load';

/** How long and how often; `BENCH_QUICK=1` is a smoke run of a minute or two. */
export interface BenchPlan {
  quick: boolean;
  repeats: number;
  warmUpS: number;
  latencyRunS: number;
  rates: number[];
  throughputRunS: number;
  throughputConnections: number;
  streamCounts: number[];
  startupRuns: number;
  workflowConcurrency: number[];
}

export function benchPlan(quick: boolean): BenchPlan {
  return quick
    ? {
        quick,
        repeats: 1,
        warmUpS: 1,
        latencyRunS: 3,
        rates: [100, 500],
        throughputRunS: 3,
        throughputConnections: 32,
        streamCounts: [200],
        startupRuns: 2,
        workflowConcurrency: [10],
      }
    : {
        quick,
        repeats: 3,
        warmUpS: 3,
        latencyRunS: 10,
        rates: [100, 500, 1000],
        throughputRunS: 10,
        throughputConnections: 64,
        streamCounts: [1000, 2000, 5000],
        startupRuns: 5,
        workflowConcurrency: [50, 200],
      };
}

export interface BenchContext {
  plan: BenchPlan;
  /** Stand-in GitLab whose OIDC keys sign every request's token. */
  gitlab: FakeOidcProvider;
  /** Gateway log files go here. */
  logDir: string;
  /** Extra `node` flags for the gateway (e.g. `--cpu-prof`). */
  gatewayNodeArgs: string[];
}

/** The variables every benchmarked gateway gets on top of bench/processes.ts's loopback ports. */
export const gatewayEnv = (context: BenchContext, extra: Record<string, string> = {}) => ({
  AIGW_GITLAB_URL: context.gitlab.issuer,
  AIGW_SHUTDOWN_GRACE_PERIOD_S: '1',
  ...extra,
});

export const logFile = (context: BenchContext, name: string) => join(context.logDir, `${name}.log`);

/**
 * A `/v2/code/completions` request (http-api.md §10 "CC") with one instance token for every request, as
 * GitLab Rails reuses its token: after the first request authentication is a cache hit.
 */
export function completionTarget(
  context: BenchContext,
  gatewayUrl: string,
  upstreamUrl: string,
  stream = false,
): HttpTarget {
  return {
    url: `${gatewayUrl}/v2/code/completions`,
    headers: authHeaders(context.gitlab, ['complete_code']),
    body: JSON.stringify({
      prompt_version: 2,
      prompt: null,
      model_provider: 'litellm',
      model_name: 'codegemma',
      model_endpoint: upstreamUrl,
      model_api_key: 'k',
      current_file: { file_name: 'a.py', content_above_cursor: 'def add(a, b):\n    ', content_below_cursor: '\n' },
      ...(stream ? { stream: true } : {}),
    }),
  };
}

/** Roughly what the gateway sends the model for {@link completionTarget}, sent to the model directly. */
export function directTarget(upstreamUrl: string): HttpTarget {
  return {
    url: `${upstreamUrl}/completions`,
    headers: { authorization: 'Bearer k' },
    body: JSON.stringify({
      model: 'codegemma',
      prompt: '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>',
      max_tokens: 128,
      temperature: 0.95,
      stop: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'],
      stream: false,
      n: 1,
    }),
  };
}
