import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RedisConnection } from '@app/limits';
import { AppConfig } from '../config';

const BOOT_WAIT_MS = 3000;

/** The Redis connection the replicas share state through, when `AIGW_REDIS__URL` is set. */
@Injectable()
export class SharedState implements OnModuleInit, OnApplicationShutdown {
  readonly redis?: RedisConnection;
  private readonly logger = new Logger('limits');

  constructor(config: AppConfig) {
    const { url, timeoutMs, keyPrefix } = config.redis;
    if (url) this.redis = new RedisConnection({ url, timeoutMs, keyPrefix });
  }

  /** The first requests find Redis connected; a Redis that is down delays start-up by at most a few seconds. */
  async onModuleInit(): Promise<void> {
    if (this.redis && !(await this.redis.connected(BOOT_WAIT_MS))) {
      this.logger.warn('Redis (AIGW_REDIS__URL) is not reachable yet; the failure policy applies until it is');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
