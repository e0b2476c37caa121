import { AdmitOutcome, AdmitRequest, LimitKind, LimitStore, ScopeLimits } from './limit-store';
import { ADMIT_SCRIPT, FINISH_SCRIPT, RENEW_SCRIPT } from './limit-scripts';
import { RedisConnection } from './redis-connection';

/** Limits shared by every replica that uses the same Redis; see {@link LimitStore} and limit-scripts.ts. */
export class RedisLimitStore extends LimitStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async admit({ scopes, leaseId, leaseTtlMs, take }: AdmitRequest): Promise<AdmitOutcome> {
    const keys = scopes.flatMap((scope) => [this.leaseKey(scope.key), this.requestsKey(scope), this.tokensKey(scope)]);
    const limits = scopes.flatMap((scope) => [scope.concurrent, scope.requestsPerMinute, scope.tokensPerMinute]);
    const reply = (await this.redis.script(ADMIT_SCRIPT, keys, [leaseId, leaseTtlMs, take ? 1 : 0, ...limits])) as [
      number,
      LimitKind?,
      number?,
    ];
    if (reply[0] === -1) return { admitted: true };
    return { admitted: false, scope: reply[0], limit: reply[1]!, retryAfterMs: reply[2]! };
  }

  async renew(keys: readonly string[], leaseId: string, leaseTtlMs: number): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.script(
      RENEW_SCRIPT,
      keys.map((key) => this.leaseKey(key)),
      [leaseId, leaseTtlMs],
    );
  }

  async finish(scopes: readonly ScopeLimits[], leaseId: string, tokens: number): Promise<void> {
    const held = scopes.filter((scope) => scope.concurrent > 0);
    const charged = tokens > 0 ? scopes.filter((scope) => scope.tokensPerMinute > 0) : [];
    if (held.length === 0 && charged.length === 0) return;
    await this.redis.script(
      FINISH_SCRIPT,
      [...held.map((scope) => this.leaseKey(scope.key)), ...charged.map((scope) => this.tokensKey(scope))],
      [leaseId, held.length, tokens, ...charged.map((scope) => scope.tokensPerMinute)],
    );
  }

  private leaseKey(scopeKey: string): string {
    return `limits:${scopeKey}:leases`;
  }

  private requestsKey(scope: ScopeLimits): string {
    return `limits:${scope.key}:requests`;
  }

  private tokensKey(scope: ScopeLimits): string {
    return `limits:${scope.key}:tokens`;
  }
}
