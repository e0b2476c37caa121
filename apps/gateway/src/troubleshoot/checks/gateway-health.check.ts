import { Check, CheckResult, fail, pass } from '../check';
import { describeNetworkFailure, HttpProbe } from '../http-probe';

const TIMEOUT_S = 10;
const START_FIX =
  'Start the gateway, or pass --endpoint with the address it listens on (AIGW_FASTAPI__API_HOST / AIGW_FASTAPI__API_PORT).';

/** Liveness and readiness of the running gateway (http-api.md §5.1). */
export const gatewayHealthCheck: Check = async (context) => {
  const { endpoint } = context.options;
  const healthz = await probe(context.http, `${endpoint}/monitoring/healthz`);
  context.gatewayReachable = healthz.reachable;
  if (!healthz.reachable) return [fail(`Gateway answers at ${endpoint}`, healthz.detail, START_FIX)];
  const results: CheckResult[] = [
    healthz.status === 200
      ? pass(`Gateway answers at ${endpoint}`, 'GET /monitoring/healthz → 200')
      : fail(
          `Gateway answers at ${endpoint}`,
          `GET /monitoring/healthz → ${healthz.detail}`,
          `Is ${endpoint} this gateway and not another service?`,
        ),
  ];

  const ready = await probe(context.http, `${endpoint}/monitoring/ready`);
  results.push(
    ready.status === 200
      ? pass('Gateway is ready', 'GET /monitoring/ready → 200')
      : fail(
          'Gateway is ready',
          `GET /monitoring/ready → ${ready.detail}`,
          'A 503 means the gateway is shutting down; see its log for the reason.',
        ),
  );
  return results;
};

interface ProbeOutcome {
  reachable: boolean;
  status?: number;
  detail: string;
}

async function probe(http: HttpProbe, url: string): Promise<ProbeOutcome> {
  try {
    const { status, body } = await http.send(url, { timeoutS: TIMEOUT_S });
    return { reachable: true, status, detail: `${status} ${body.slice(0, 300)}` };
  } catch (error) {
    return { reachable: false, detail: describeNetworkFailure(error, url).reason };
  }
}
