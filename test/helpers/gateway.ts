import { createApp, Gateway } from '../../apps/gateway/src/create-app';
import { EnvRecord } from '../../apps/gateway/src/config';
import { LOOPBACK_ENV } from './loopback-env';

/** Ephemeral ports and quiet logs; a test's own variables win. */
export const TEST_ENV: EnvRecord = {
  ...LOOPBACK_ENV,
  AIGW_LOGGING__LEVEL: 'silent',
  // Tests that stop a spawned gateway need no load balancer to catch up; the drain test sets its own.
  AIGW_SHUTDOWN_UNREADY_DELAY_S: '0',
};

export interface TestGateway extends Gateway {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  grpcAddress: string;
  metricsUrl: string;
  close(): Promise<void>;
}

/** Boots the real app in-process through create-app.ts, as main.ts does. */
export async function startGateway(env: EnvRecord = {}): Promise<TestGateway> {
  const gateway = await createApp({ env: { ...TEST_ENV, ...env } });
  return {
    ...gateway,
    baseUrl: `http://127.0.0.1:${gateway.httpPort}`,
    grpcAddress: `127.0.0.1:${gateway.grpcPort}`,
    metricsUrl: `http://127.0.0.1:${gateway.metricsPort}/metrics`,
    close: () => gateway.shutdown(1, 0),
  };
}
