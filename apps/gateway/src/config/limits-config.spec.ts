import { configProblems } from '@test/helpers/config-problems';
import { loadAppConfig } from './load-config';

describe('AIGW_LIMITS__*, AIGW_REDIS__*, AIGW_COMPLETION_CACHE__*', () => {
  it('reads limits per scope, the Redis settings and the cache settings', () => {
    const config = loadAppConfig({
      AIGW_LIMITS__PER_USER__CONCURRENT: '10',
      AIGW_LIMITS__PER_INSTANCE__REQUESTS_PER_MINUTE: '600',
      AIGW_LIMITS__PER_POOL__TOKENS_PER_MINUTE: '2000000',
      AIGW_LIMITS__LEASE_TTL_S: '15',
      AIGW_REDIS__URL: 'redis://:pw@redis.internal:6379/2',
      AIGW_REDIS__FAILURE_POLICY: 'CLOSED',
      AIGW_COMPLETION_CACHE__ENABLED: 'true',
      AIGW_COMPLETION_CACHE__TTL_S: '30',
    });
    expect(config.limits.perUser).toEqual({ concurrent: 10, requestsPerMinute: 0, tokensPerMinute: 0 });
    expect(config.limits.perInstance.requestsPerMinute).toBe(600);
    expect(config.limits.perPool.tokensPerMinute).toBe(2_000_000);
    expect(config.limits.leaseTtlS).toBe(15);
    expect(config.redis).toEqual({
      url: 'redis://:pw@redis.internal:6379/2',
      timeoutMs: 250,
      failurePolicy: 'closed',
      keyPrefix: 'aigw:',
    });
    expect(config.completionCache).toEqual({ enabled: true, ttlS: 30, maxEntries: 10_000, sharedAcrossUsers: false });
  });

  it('names every bad variable and its rule at boot, without printing the Redis URL', () => {
    const problems = configProblems({
      AIGW_LIMITS__PER_USER__CONCURRENT: '-1',
      AIGW_LIMITS__PER_POOL__REQUESTS_PER_MINUTE: 'many',
      AIGW_LIMITS__LEASE_TTL_S: '0',
      AIGW_REDIS__URL: 'http://user:secret@redis:6379',
      AIGW_REDIS__TIMEOUT_MS: '0',
      AIGW_REDIS__FAILURE_POLICY: 'sometimes',
      AIGW_COMPLETION_CACHE__TTL_S: '0',
    });
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).not.toContain('secret');
    for (const [variable, rule] of [
      ['AIGW_LIMITS__PER_USER__CONCURRENT', 'must be an integer between 0 and 1000000'],
      ['AIGW_LIMITS__PER_POOL__REQUESTS_PER_MINUTE', 'must be an integer between 0 and 1000000000'],
      ['AIGW_LIMITS__LEASE_TTL_S', 'must be an integer between 1 and 3600'],
      ['AIGW_REDIS__URL', 'must be a redis:// or rediss:// URL'],
      ['AIGW_REDIS__TIMEOUT_MS', 'must be an integer between 1 and 60000'],
      ['AIGW_REDIS__FAILURE_POLICY', 'must be one of open, closed'],
      ['AIGW_COMPLETION_CACHE__TTL_S', 'must be an integer between 1 and 86400'],
    ]) {
      expect(problems.find((problem) => problem.includes(variable))).toContain(rule);
    }
  });
});
