import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import {
  LimitMetrics,
  LimitsService,
  LimitStore,
  MemoryLimitStore,
  RedisConnection,
  RedisLimitStore,
} from '@app/limits';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOidcProvider } from '@test/fakes/oidc-provider';
import { startTestRedis } from '@test/helpers/redis-server';
import { BenchContext, completionTarget } from '../bench-context';
import { pacedLoad } from '../http-load';
import { startGateway, startUpstream } from '../processes';
import { percentile } from '../stats';

export interface LimitCheckRow {
  store: string;
  /** Requests checked at once. */
  parallel: number;
  p50Us: number;
  p99Us: number;
  /** With `parallel` > 1 the latencies include waiting for the others: this is the throughput. */
  checksPerS: number;
}

const BUDGET = { concurrent: 1_000_000, requestsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000_000 };
const CHECKS = 20_000;
const WARM_UP = 2_000;

/** Microseconds of each `admit` (the request waits for it); `finish` (release, charge) runs in the background. */
async function timeChecks(limits: LimitsService, parallel: number, count: number): Promise<number[]> {
  const latencies: number[] = [];
  const worker = async (id: number) => {
    for (let i = id; i < count; i += parallel) {
      const started = process.hrtime.bigint();
      const admission = await limits.admit({ user: `u${i % 500}`, instance: 'i1', pool: 'http://model:8000' });
      latencies.push(Number(process.hrtime.bigint() - started) / 1000);
      admission.finish(100);
    }
  };
  await Promise.all(Array.from({ length: parallel }, (_, id) => worker(id)));
  return latencies;
}

/**
 * Added latency of one limit check with every limit kind on in all three scopes (user, instance, pool): the
 * in-memory store and a local Redis (`redis-server` on loopback, the Lua script of limit-scripts.ts).
 *
 *   npm run build && node -r ./bench/ts-register.js bench/scenarios/limit-check.ts   (both measurements)
 */
export async function measureLimitCheck(): Promise<LimitCheckRow[]> {
  const redis = await startTestRedis();
  const connection = new RedisConnection({ url: redis.url, timeoutMs: 1000, keyPrefix: 'bench:' });
  await connection.connected(5000);
  const memory = new MemoryLimitStore();
  const stores: Array<[string, LimitStore]> = [
    ['memory', memory],
    ['redis', new RedisLimitStore(connection)],
  ];
  const rows: LimitCheckRow[] = [];
  try {
    for (const [name, store] of stores) {
      const limits = new LimitsService(
        store,
        {
          budgets: { user: BUDGET, instance: BUDGET, pool: BUDGET },
          leaseTtlMs: 30_000,
          failurePolicy: 'closed',
          storeTimeoutMs: 1000,
        },
        new LimitMetrics(new Registry()),
      );
      for (const parallel of [1, 32]) {
        await timeChecks(limits, parallel, WARM_UP);
        const started = process.hrtime.bigint();
        const latencies = await timeChecks(limits, parallel, CHECKS);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        rows.push({
          store: name,
          parallel,
          p50Us: Math.round(percentile(latencies, 50)),
          p99Us: Math.round(percentile(latencies, 99)),
          checksPerS: Math.round(CHECKS / seconds),
        });
      }
    }
    return rows;
  } finally {
    memory.close();
    await connection.close();
    await redis.stop();
  }
}

export interface LimitedRequestRow {
  limits: string;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const RATE = 200;
const RUN_S = 10;

/**
 * The same completion through the built gateway (`npm run build` first) against a 0 ms model, open loop at
 * 200 requests per second: without limits, with limits in memory, and with limits in Redis (all three scopes,
 * every kind on, budgets never reached). Rounds alternate so the three see the same machine state.
 */
export async function measureLimitedRequests(): Promise<LimitedRequestRow[]> {
  const [gitlab, redis, upstream] = await Promise.all([
    FakeOidcProvider.start(),
    startTestRedis(),
    startUpstream({ BENCH_UPSTREAM_LATENCY_MS: '0' }),
  ]);
  const logDir = mkdtempSync(join(tmpdir(), 'aigw-bench-limits-'));
  const limited = {
    AIGW_LIMITS__PER_USER__CONCURRENT: '100000',
    AIGW_LIMITS__PER_USER__REQUESTS_PER_MINUTE: '100000000',
    AIGW_LIMITS__PER_USER__TOKENS_PER_MINUTE: '100000000000',
    AIGW_LIMITS__PER_INSTANCE__CONCURRENT: '100000',
    AIGW_LIMITS__PER_POOL__REQUESTS_PER_MINUTE: '100000000',
  };
  const variants: Array<[string, Record<string, string>]> = [
    ['none', {}],
    ['memory', limited],
    ['redis', { ...limited, AIGW_REDIS__URL: redis.url }],
  ];
  const gateways = await Promise.all(
    variants.map(([name, env]) =>
      startGateway({ AIGW_GITLAB_URL: gitlab.issuer, ...env }, join(logDir, `limits-${name}.log`)),
    ),
  );
  try {
    const context = { gitlab } as BenchContext;
    const targets = gateways.map((gateway) => completionTarget(context, gateway.baseUrl, upstream.url));
    for (const target of targets) await pacedLoad(target, { rate: RATE, durationS: 2 });
    const latencies: number[][] = variants.map(() => []);
    const errors = variants.map(() => 0);
    for (let round = 0; round < 3; round += 1) {
      for (const [index, target] of targets.entries()) {
        const result = await pacedLoad(target, { rate: RATE, durationS: RUN_S / 3 });
        latencies[index].push(...result.latenciesMs);
        errors[index] += result.errors;
      }
    }
    return variants.map(([name], index) => ({
      limits: name,
      p50Ms: Number(percentile(latencies[index], 50).toFixed(3)),
      p99Ms: Number(percentile(latencies[index], 99).toFixed(3)),
      errors: errors[index],
    }));
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await Promise.all([upstream.stop(), redis.stop(), gitlab.close()]);
  }
}

if (require.main === module) {
  Logger.overrideLogger(false);
  (async () => {
    console.table(await measureLimitCheck());
    console.table(await measureLimitedRequests());
  })().then(
    () => undefined,
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
