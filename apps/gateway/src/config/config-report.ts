import { Logger } from 'pino';
import { AppConfig } from './app-config';
import { EnvRecord } from './env-tree';
import { unknownVariables } from './unknown-variables';

export interface BoundPorts {
  httpPort: number;
  grpcPort: number;
  metricsPort: number;
}

/**
 * What an operator should see once at boot: a warning per variable that sets nothing and per missing signing
 * key (naming what stops working), then one line summarising the effective configuration, secrets left out.
 */
export function reportConfiguration(logger: Logger, config: AppConfig, env: EnvRecord, ports: BoundPorts): void {
  const log = logger.child({ logger: 'config' });
  for (const { name, closest } of unknownVariables(env)) {
    log.warn({ variable: name, closest }, `Unknown variable ${name} is ignored; did you mean ${closest}?`);
  }
  for (const { variable, message } of missingSigningKeys(config)) log.warn({ variable }, message);
  const summary = configurationSummary(config, ports);
  log.info({ configuration: summary }, `Configuration: ${describeSummary(summary)}`);
}

function missingSigningKeys(config: AppConfig): Array<{ variable: string; message: string }> {
  const missing = [];
  if (!config.duoWorkflow.selfSignedJwt.signingKey) {
    missing.push({
      variable: 'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY',
      message:
        'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY is not set: the Agent Platform cannot issue tokens (GenerateToken fails), so GitLab cannot start Duo Agent Platform workflows',
    });
  }
  if (!config.selfSignedJwt.signingKey) {
    missing.push({
      variable: 'AIGW_SELF_SIGNED_JWT__SIGNING_KEY',
      message:
        'AIGW_SELF_SIGNED_JWT__SIGNING_KEY is not set: POST /v1/code/user_access_token answers 500, so IDEs cannot reach the gateway directly for code suggestions',
    });
  }
  return missing;
}

export interface ConfigurationSummary {
  gitlab: string[];
  customer_portal: string;
  custom_models: 'on' | 'off';
  /** AIGW_MODEL_PROVIDERS__MODULES: the provider packages loaded next to the built-in providers. */
  provider_packages: string[];
  auth: string;
  agent_platform_auth: 'on' | 'off';
  signing_keys: { agent_platform: 'set' | 'unset'; user_access_tokens: 'set' | 'unset' };
  ports: { http: string; grpc: string; metrics: string };
  grpc_tls: 'on' | 'off';
  workers: number;
  proxy: string;
  log_level: string;
}

function configurationSummary(config: AppConfig, ports: BoundPorts): ConfigurationSummary {
  const { auth, duoWorkflow, fastapi, agentPlatform } = config;
  const isSet = (key: string) => (key ? 'set' : 'unset') as 'set' | 'unset';
  return {
    gitlab: config.gitlabUrl,
    customer_portal: config.customerPortalUrl || 'off',
    custom_models: config.customModels.enabled ? 'on' : 'off',
    provider_packages: config.modelProviders.modules,
    auth: auth.bypassExternal
      ? 'bypassed (AIGW_AUTH__BYPASS_EXTERNAL)'
      : auth.bypassExternalWithHeader
        ? 'bypassed with header (AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER)'
        : auth.bypassJwtSignature
          ? 'signatures unchecked (AIGW_AUTH__BYPASS_JWT_SIGNATURE)'
          : 'oidc',
    agent_platform_auth: duoWorkflow.auth.enabled ? 'on' : 'off',
    signing_keys: {
      agent_platform: isSet(duoWorkflow.selfSignedJwt.signingKey),
      user_access_tokens: isSet(config.selfSignedJwt.signingKey),
    },
    ports: {
      http: `${fastapi.apiHost}:${ports.httpPort}`,
      grpc: `${agentPlatform.host}:${ports.grpcPort}`,
      metrics: `${fastapi.metricsHost}:${ports.metricsPort}`,
    },
    grpc_tls: duoWorkflow.tls.enabled ? 'on' : 'off',
    workers: config.workers,
    proxy: proxyOf(config),
    log_level: config.logging.level,
  };
}

/** The proxy's origin only: its URL may carry credentials. */
function proxyOf(config: AppConfig): string {
  const url = config.proxy.httpsProxy || config.proxy.httpProxy;
  if (!url) return 'none';
  const origin = new URL(url).origin;
  return config.proxy.noProxy ? `${origin} (except ${config.proxy.noProxy})` : origin;
}

function describeSummary(summary: ConfigurationSummary): string {
  return [
    `GitLab ${summary.gitlab.join(', ')}`,
    `customer portal ${summary.customer_portal}`,
    `custom models ${summary.custom_models}`,
    `provider packages ${summary.provider_packages.join(', ') || 'none'}`,
    `auth ${summary.auth}, Agent Platform auth ${summary.agent_platform_auth}`,
    `signing keys: Agent Platform ${summary.signing_keys.agent_platform}, user access tokens ${summary.signing_keys.user_access_tokens}`,
    `HTTP ${summary.ports.http}, gRPC ${summary.ports.grpc} (TLS ${summary.grpc_tls}), metrics ${summary.ports.metrics}`,
    `workers ${summary.workers}`,
    `proxy ${summary.proxy}`,
    `log level ${summary.log_level}`,
  ].join('; ');
}
