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
import { startTestRedis } from '@test/helpers/redis-server';
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
 *   node -r ./bench/ts-register.js bench/scenarios/limit-check.ts
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

if (require.main === module) {
  Logger.overrideLogger(false);
  measureLimitCheck().then(
    (rows) => console.table(rows),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
