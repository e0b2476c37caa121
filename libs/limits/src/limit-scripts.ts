import { CONCURRENCY_RETRY_MS } from './limit-store';

/**
 * The Lua scripts of {@link RedisLimitStore}. Each runs atomically in Redis, so replicas never interleave a
 * check with its update. Time is the Redis server's (`TIME`), so replicas with skewed clocks agree.
 * Per scope i (0-based) the keys are KEYS[3i+1] (lease set: member = lease id, score = expiry ms),
 * KEYS[3i+2] (requests bucket) and KEYS[3i+3] (tokens bucket); a bucket is a hash {level, at}.
 */

const PRELUDE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function level_of(key, per_minute)
  local state = redis.call('HMGET', key, 'level', 'at')
  local level, at = tonumber(state[1]), tonumber(state[2])
  if level == nil then return per_minute end
  return math.min(per_minute, level + math.max(0, now - at) * per_minute / 60000)
end
local function refill_ms(level, wanted, per_minute)
  return math.max(1, math.ceil((wanted - level) * 60000 / per_minute))
end
local function store_level(key, level, per_minute)
  redis.call('HSET', key, 'level', tostring(level), 'at', now)
  redis.call('PEXPIRE', key, refill_ms(level, per_minute, per_minute))
end
`;

/**
 * ARGV: lease id, lease TTL ms, take (1/0), then per scope: concurrent, requests/min, tokens/min.
 * Returns {-1} when admitted, else {scope index, limit kind, retry after ms}.
 */
export const ADMIT_SCRIPT = `${PRELUDE}
local lease, ttl, take = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1'
local scopes = #KEYS / 3
local request_levels = {}
for i = 0, scopes - 1 do
  local concurrent, rpm, tpm = tonumber(ARGV[4 + 3 * i]), tonumber(ARGV[5 + 3 * i]), tonumber(ARGV[6 + 3 * i])
  if concurrent > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[3 * i + 1], '-inf', now)
    if redis.call('ZCARD', KEYS[3 * i + 1]) >= concurrent then return {i, 'concurrent', ${CONCURRENCY_RETRY_MS}} end
  end
  if rpm > 0 then
    local level = level_of(KEYS[3 * i + 2], rpm)
    if level < 1 then return {i, 'requests', refill_ms(level, 1, rpm)} end
    request_levels[i] = level
  end
  if tpm > 0 then
    local level = level_of(KEYS[3 * i + 3], tpm)
    if level <= 0 then return {i, 'tokens', refill_ms(level, 1, tpm)} end
  end
end
if not take then return {-1} end
for i = 0, scopes - 1 do
  if tonumber(ARGV[4 + 3 * i]) > 0 then
    redis.call('ZADD', KEYS[3 * i + 1], now + ttl, lease)
    redis.call('PEXPIRE', KEYS[3 * i + 1], ttl)
  end
  local rpm = tonumber(ARGV[5 + 3 * i])
  if rpm > 0 then store_level(KEYS[3 * i + 2], request_levels[i] - 1, rpm) end
end
return {-1}
`;

/** KEYS: lease sets; ARGV: lease id, lease TTL ms. A lease already expired stays gone. */
export const RENEW_SCRIPT = `${PRELUDE}
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2]))
end
return 0
`;

/**
 * The end of a request, in one round trip. KEYS: the lease sets to leave, then the tokens buckets to charge;
 * ARGV: lease id, number of lease sets, tokens, then tokens/min per bucket.
 */
export const FINISH_SCRIPT = `${PRELUDE}
local leases, tokens = tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, leases do redis.call('ZREM', KEYS[i], ARGV[1]) end
for i = leases + 1, #KEYS do
  local tpm = tonumber(ARGV[i - leases + 3])
  store_level(KEYS[i], level_of(KEYS[i], tpm) - tokens, tpm)
end
return 0
`;
