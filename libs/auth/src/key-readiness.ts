import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { OidcKeySources } from './oidc-key-sources';

/** Where readiness checks are registered; the app provides its registry under {@link READINESS_SINK}. */
export interface ReadinessSink {
  register(check: () => HealthIndicatorResult): void;
}

export const READINESS_SINK = Symbol('READINESS_SINK');

/**
 * Reports each OIDC provider as reachable or not on `/monitoring/ready`. An unreachable provider only
 * degrades readiness: a GitLab blip must not take every gateway pod out of service.
 */
@Injectable()
export class KeyReadiness implements OnModuleInit {
  constructor(
    @Inject(READINESS_SINK) private readonly sink: ReadinessSink,
    private readonly sources: OidcKeySources,
  ) {}

  onModuleInit(): void {
    this.sink.register(() => this.check());
  }

  check(): HealthIndicatorResult {
    const sources = this.sources.all().map((source) => source.status());
    const status = sources.every((source) => source.reachable) ? 'up' : 'degraded';
    return { auth_key_sources: { status, sources } };
  }
}
