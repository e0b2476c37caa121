import type { EnvRecord } from '../../apps/gateway/src/config';

/** Loopback listeners on ephemeral ports, and no GitLab or customer portal reachable: every test gateway's base. */
export const LOOPBACK_ENV: EnvRecord = {
  AIGW_FASTAPI__API_HOST: '127.0.0.1',
  AIGW_FASTAPI__API_PORT: '0',
  AIGW_FASTAPI__METRICS_HOST: '127.0.0.1',
  AIGW_FASTAPI__METRICS_PORT: '0',
  AIGW_AGENT_PLATFORM__HOST: '127.0.0.1',
  AIGW_AGENT_PLATFORM__PORT: '0',
  AIGW_GITLAB_URL: 'http://127.0.0.1:9',
  AIGW_CUSTOMER_PORTAL_URL: '',
  DUO_WORKFLOW_AUTH__OIDC_CUSTOMER_PORTAL_URL: '',
};
