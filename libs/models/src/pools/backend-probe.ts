import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { OutboundHttp } from '@app/common';

/** The active health check's request: `GET <url>`, healthy on a 2xx within `timeoutS`. */
@Injectable()
export class BackendProbe {
  constructor(private readonly outbound: OutboundHttp) {}

  async isHealthy(url: string, timeoutS: number, headers: Record<string, string>): Promise<boolean> {
    try {
      const response = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.outbound.dispatcher,
        signal: AbortSignal.timeout(timeoutS * 1000),
      });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300;
    } catch {
      return false;
    }
  }
}
