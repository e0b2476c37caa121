import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { OidcKeySources } from './oidc-key-sources';

/** Where readiness checks are registered; the app provides its registry under {@link READINESS_SINK}. */
export interface ReadinessSink {
  register(check: () => HealthIndicatorResult): void;
}

export const READINESS_SINK = Symbol('READINESS_SINK');

const DEFAULT_PROBE_INTERVAL_S = 60;

/**
 * Reports each OIDC provider on `/monitoring/ready` as it is, not as "no error yet": every provider's keys are
 * fetched in the background at start-up and on an interval (within the refetch floor), `reachable` is `null`
 * until the first answer, and an unreachable provider says why. Anything but all reachable is `degraded`, never
 * `down`: a GitLab blip must not take every gateway pod out of service at once.
 */
@Injectable()
export class KeyReadiness implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(READINESS_SINK) private readonly sink: ReadinessSink,
    private readonly sources: OidcKeySources,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  onModuleInit(): void {
    this.sink.register(() => this.check());
  }

  onApplicationBootstrap(): void {
    this.probe();
    const intervalS = this.options.auth.keyProbeIntervalS ?? DEFAULT_PROBE_INTERVAL_S;
    this.timer = setInterval(() => this.probe(), intervalS * 1000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  check(): HealthIndicatorResult {
    const sources = this.sources.all().map((source) => source.status());
    const status = sources.every((source) => source.reachable === true) ? 'up' : 'degraded';
    return { auth_key_sources: { status, sources } };
  }

  /** Failures are remembered by each source (and logged there); nothing to await. */
  private probe(): void {
    for (const source of this.sources.all()) void source.refetch();
  }
}
