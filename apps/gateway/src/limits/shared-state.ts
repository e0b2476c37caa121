import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from '@app/limits';
import { AppConfig } from '../config';

/** The Redis connection the replicas share state through, when `AIGW_REDIS__URL` is set. */
@Injectable()
export class SharedState implements OnApplicationShutdown {
  readonly redis?: RedisConnection;

  constructor(config: AppConfig) {
    const { url, timeoutMs, keyPrefix } = config.redis;
    if (url) this.redis = new RedisConnection({ url, timeoutMs, keyPrefix });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
