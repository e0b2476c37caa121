import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { ReadinessRegistry } from '../health/readiness-registry';

interface KeySourceState {
  origin: string;
  reachable: boolean;
}

/** `auth_key_source_up{origin}`: 1 while the last key fetch from a configured OIDC provider worked, read at scrape. */
@Injectable()
export class KeySourceMetrics {
  constructor(registry: Registry, readiness: ReadinessRegistry) {
    new Gauge({
      name: 'auth_key_source_up',
      help: 'Whether the last key fetch from an OIDC provider (key source) succeeded',
      labelNames: ['origin'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const source of await keySources(readiness)) this.set({ origin: source.origin }, source.reachable ? 1 : 0);
      },
    });
  }
}

async function keySources(readiness: ReadinessRegistry): Promise<KeySourceState[]> {
  const results = await Promise.all(readiness.all().map((check) => Promise.resolve(check()).catch(() => ({}))));
  const entry = results.find((result) => 'auth_key_sources' in result) as
    { auth_key_sources: { sources?: KeySourceState[] } } | undefined;
  return entry?.auth_key_sources.sources ?? [];
}
