import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { Clock } from './clock';
import { OidcKeyFetcher } from './oidc-key-fetcher';
import { OidcKeySource } from './oidc-key-source';

/** One {@link OidcKeySource} per provider origin, shared by every audience that trusts it. */
@Injectable()
export class OidcKeySources {
  private readonly byOrigin = new Map<string, OidcKeySource>();
  private readonly floorMs: number;

  constructor(
    @Inject(AUTH_OPTIONS) options: AuthOptions,
    private readonly fetcher: OidcKeyFetcher,
    private readonly clock: Clock,
  ) {
    this.floorMs = options.auth.keyRefetchMinIntervalS * 1000;
  }

  for(origins: readonly string[]): OidcKeySource[] {
    return origins.map((origin) => {
      const known = this.byOrigin.get(origin);
      if (known) return known;
      const source = new OidcKeySource(origin, this.fetcher, this.clock, this.floorMs);
      this.byOrigin.set(origin, source);
      return source;
    });
  }

  all(): OidcKeySource[] {
    return [...this.byOrigin.values()];
  }
}
