import { availableParallelism } from 'node:os';
import { Transform } from 'class-transformer';
import { IsOptional, IsUrl, Max, Matches, MinLength, ValidateIf } from 'class-validator';
import {
  EnvBoolean,
  EnvConcurrencyLimits,
  EnvHeaderName,
  EnvHeaders,
  EnvInt,
  EnvJsonObject,
  EnvNumber,
  EnvOneOf,
  EnvOptionalString,
  EnvString,
  EnvStringList,
  Nested,
  Secret,
} from './config-decorators';
import { PemCertificateFile, PrivateKeyFile, WritableFile } from './file.validator';
import { RoutesFile } from './routes-file.validator';
import { CompletionCacheConfig, LimitsConfig, RedisConfig } from './limits-config';
import { RsaPrivateKeyPem } from './rsa-key.validator';

const HTTP_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const URL_MESSAGE = { message: 'must be an http(s) URL' };
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const PYTHON_LOG_LEVELS: Record<string, string> = { warning: 'warn', critical: 'fatal' };

export class FastapiConfig {
  @EnvString() apiHost = '0.0.0.0';
  @EnvInt(0, 65535) apiPort = 5052;
  @EnvString() metricsHost = '0.0.0.0';
  @EnvInt(0, 65535) metricsPort = 8082;
  /** Empty disables the route. */
  @EnvString() docsUrl = '/docs';
  @EnvString() openapiUrl = '/openapi.json';
}

/** Limits on request bodies (issue 15); per-route byte limits are fixed by the contract (http/route-body-limits.ts). */
export class HttpConfig {
  /** Time from the end of the headers to the last body byte: past it, 408 and the connection is closed. */
  @EnvNumber(0.1) bodyTimeoutS = 60;
  /** Request bytes being received and parsed at once, across all requests: past it, 503 with Retry-After. */
  @EnvInt(1024, 2 ** 40) maxInflightBodyBytes = 256 * 1024 * 1024;
}

export class AuthConfig {
  @EnvBoolean() bypassExternal = false;
  @EnvBoolean() bypassExternalWithHeader = false;
  @EnvBoolean() bypassJwtSignature = false;
  /** Floor between two fetches of one OIDC provider's keys (refetches on unknown `kid`, retries after failure). */
  @EnvNumber(0) keyRefetchMinIntervalS = 30;
  /** How often readiness fetches every OIDC provider's keys in the background, from start-up on. */
  @EnvNumber(1) keyProbeIntervalS = 60;
}

export class SelfSignedJwtConfig {
  @Secret() @RsaPrivateKeyPem() signingKey = '';
  @Secret() @RsaPrivateKeyPem() validationKey = '';
}

export class CustomModelsConfig {
  @EnvBoolean() enabled = false;
  @EnvBoolean() disableStreaming = false;
  /** Origins or URL prefixes a request may name as `model_endpoint`; empty = any http(s) URL. */
  @EnvStringList() allowedEndpoints: string[] = [];
  /** Headers sent to every model endpoint a request names (gitlab-versions.md §7); may hold credentials. */
  @Secret() @EnvHeaders() extraHeaders: Record<string, string> = {};
  /** When set, the caller's `X-Gitlab-User-Id` goes to those endpoints under this header name. */
  @EnvHeaderName() userIdHeader = '';
}

export class ModelProvidersConfig {
  /** Provider packages loaded at start-up: package names (from the app's node_modules) or paths. */
  @EnvStringList() modules: string[] = [];
}

export class DuoChatConfig {
  /** Replaces `max_tokens` of every `chat/*` prompt (gitlab-versions.md §7); unset: each prompt's own. */
  @IsOptional() @EnvInt(1, 1_000_000) maxTokens?: number;
}

export class ModelClientConfig {
  /** 0: no cap, one keep-alive connection per concurrent call, so no call waits unseen for a connection. */
  @EnvInt(0, 100_000) maxConnectionsPerOrigin = 0;
  /** Longest wait for a free slot of `AIGW_MODEL_ENGINE_CONCURRENCY_LIMITS` before a 503 with `Retry-After`. */
  @EnvNumber(0) queueTimeoutS = 10;
  /** Most bytes of whole (non-streamed) model answers held at once in this process. */
  @EnvInt(1, 1_099_511_627_776) maxBufferedBytes = 256 * 1024 * 1024;
  @EnvNumber(0.1) connectTimeoutS = 10;
  /** Longest silence between two bytes of an upstream response. */
  @EnvNumber(0.1) readTimeoutS = 60;
  @EnvNumber(0.1) keepAliveTimeoutS = 30;
}

export class ModelRoutesConfig {
  /** YAML or JSON file of endpoint pools and the routes to them (docs/configuration.md); empty: no routing. */
  @EnvString() @RoutesFile() file = '';
}

export class LoggingConfig {
  @Transform(({ value }) =>
    typeof value === 'string' ? (PYTHON_LOG_LEVELS[value.trim().toLowerCase()] ?? value) : value,
  )
  @EnvOneOf(LOG_LEVELS)
  level: (typeof LOG_LEVELS)[number] = 'info';
  @EnvBoolean() formatJson = true;
  /** Empty: stdout. */
  @EnvString() @WritableFile() toFile = '';
  @EnvBoolean() enableRequestLogging = false;
}

export class ModelKeysConfig {
  @Secret() @EnvOptionalString() mistralApiKey?: string;
  /** `/v1/chat` requests with provider `anthropic` (or none) go to Anthropic with this key. */
  @Secret() @EnvOptionalString() anthropicApiKey?: string;
}

export class FeatureFlagsConfig {
  /** `{"<realm>": ["flag", …]}` */
  @EnvJsonObject() disallowedFlags: Record<string, string[]> = {};
}

export class AgentPlatformConfig {
  @EnvString() host = '0.0.0.0';
  @EnvInt(0, 65535) port = 50052;
  @EnvInt(1, 1_000_000) maxConcurrentStreams = 10_000;
  @EnvNumber(1) maxStreamDurationS = 3600;
  /** Model of calls without `x-gitlab-agent-platform-model-metadata`, same JSON (agent-platform.md §6.8); `{}`: none. */
  @Secret() @EnvJsonObject() defaultModelMetadata: Record<string, unknown> = {};
}

export class AwsConfig {
  @Secret() @EnvOptionalString() accessKeyId?: string;
  @Secret() @EnvOptionalString() secretAccessKey?: string;
  @Secret() @EnvOptionalString() sessionToken?: string;
  @EnvOptionalString() region?: string;
  /** Instead of the regional Bedrock runtime endpoint (VPC endpoint, stand-in server). */
  @ValidateIf((_, value) => value !== undefined) @IsUrl(HTTP_URL, URL_MESSAGE) bedrockEndpointUrl?: string;
}

export class AzureOpenaiConfig {
  /** `api-version` of Azure OpenAI chat completion calls (`azure/<deployment>` identifiers). */
  @EnvString() apiVersion = '2024-10-21';
}

export class DuoWorkflowAuthConfig {
  @EnvBoolean() enabled = true;
  /** Empty: falls back to `AIGW_GITLAB_URL`. */
  @ValidateIf((_, value) => value !== '') @IsUrl(HTTP_URL, URL_MESSAGE) oidcGitlabUrl = '';
  /** Empty: off (offline licences). */
  @ValidateIf((_, value) => value !== '')
  @IsUrl(HTTP_URL, URL_MESSAGE)
  oidcCustomerPortalUrl = 'https://customers.gitlab.com';
}

const TLS_FILE_REQUIRED = 'is required when DUO_WORKFLOW_TLS__ENABLED is true';

export class DuoWorkflowTlsConfig {
  @EnvBoolean() enabled = false;
  @ValidateIf((tls: DuoWorkflowTlsConfig) => tls.enabled === true) @PemCertificateFile(TLS_FILE_REQUIRED) certFile = '';
  @ValidateIf((tls: DuoWorkflowTlsConfig) => tls.enabled === true) @PrivateKeyFile(TLS_FILE_REQUIRED) keyFile = '';
}

/** Outbound HTTP(S) proxy (`HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, any case) for GitLab, models and Bedrock. */
export class ProxyConfig {
  @Secret() @ValidateIf((_, value) => value !== '') @IsUrl(HTTP_URL, URL_MESSAGE) httpProxy = '';
  @Secret() @ValidateIf((_, value) => value !== '') @IsUrl(HTTP_URL, URL_MESSAGE) httpsProxy = '';
  /** Comma-separated host names, `.domain` suffixes, `host:port`, or `*`. */
  @EnvString() noProxy = '';
}

export class DuoWorkflowConfig {
  @Nested(() => DuoWorkflowAuthConfig) auth = new DuoWorkflowAuthConfig();
  @Nested(() => SelfSignedJwtConfig) selfSignedJwt = new SelfSignedJwtConfig();
  @EnvString() cloudConnectorServiceName = 'gitlab-duo-workflow-service';
  @Nested(() => DuoWorkflowTlsConfig) tls = new DuoWorkflowTlsConfig();
  @EnvBoolean() grpcReflectionEnabled = false;
}

const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** OpenTelemetry tracing, from the standard `OTEL_*` variables (aliases); off unless an OTLP endpoint is set. */
export class TracingConfig {
  /** OTLP/HTTP base URL; traces go to `<base>/v1/traces`. */
  @ValidateIf((_, value) => value !== '') @IsUrl(HTTP_URL, URL_MESSAGE) otlpEndpoint = '';
  /** Full OTLP/HTTP traces URL; wins over `otlpEndpoint`. */
  @ValidateIf((_, value) => value !== '') @IsUrl(HTTP_URL, URL_MESSAGE) otlpTracesEndpoint = '';
  /** `key=value,key2=value2` sent with every export (e.g. an API key of the collector). */
  @Secret()
  @Matches(/^$|^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/, { message: 'must be a comma-separated list of key=value' })
  otlpHeaders = '';
  @EnvString() serviceName = 'ai-gateway';
  @EnvOneOf(TRACES_SAMPLERS) sampler: (typeof TRACES_SAMPLERS)[number] = 'parentbased_always_on';
  /** Ratio of the `*traceidratio` samplers. */
  @EnvNumber(0) @Max(1, { message: 'must be a number between 0 and 1' }) samplerArg = 1;
  /** `none` turns tracing off. */
  @EnvOneOf(['otlp', 'none']) exporter = 'otlp';
  @EnvBoolean() sdkDisabled = false;
  /** Longest wait before a batch of finished spans is exported. */
  @EnvInt(1, 3_600_000) batchDelayMs = 5000;
  /** `key=value,…` added to the resource (`OTEL_RESOURCE_ATTRIBUTES`). */
  @EnvString() resourceAttributes = '';
  /** Verbose: prompt text, code and model output go into span attributes. Never on by default. */
  @EnvBoolean() recordContent = false;

  get enabled(): boolean {
    return !this.sdkDisabled && this.exporter !== 'none' && (this.otlpTracesEndpoint || this.otlpEndpoint) !== '';
  }
}

/** The admin status page on the metrics listener; off unless a token is set. */
export class AdminConfig {
  @Secret()
  @ValidateIf((_, value) => value !== '')
  @MinLength(16, { message: 'must be at least 16 characters' })
  token = '';
}

export class DocsSearchConfig {
  /** The SQLite FTS5 index built by `npm run docs:index`; relative paths are from the project root. */
  @EnvString() indexPath = 'data/gitlab-docs.db';
  /** Prefix of each result's `metadata.source_url`. */
  @IsUrl(HTTP_URL, URL_MESSAGE) baseUrl = 'https://docs.gitlab.com/';
}

export class EmbeddingsConfig {
  /** Most `contents` items one request may carry (OpenAI's own limit is 2,048). */
  @EnvInt(1, 100_000) maxContents = 2048;
  /** Most characters one `contents` item may hold. */
  @EnvInt(1, 10_000_000) maxContentChars = 100_000;
}

/** The whole configuration, built from `AIGW_*` / `DUO_WORKFLOW_*` variables (see docs/configuration.md). */
export class AppConfig {
  /** One or more GitLab instances sharing this gateway (comma-separated or JSON list). */
  @EnvStringList() @IsUrl(HTTP_URL, { each: true, ...URL_MESSAGE }) gitlabUrl = ['https://gitlab.com'];
  /** Empty: off (offline licences). */
  @ValidateIf((_, value) => value !== '')
  @IsUrl(HTTP_URL, URL_MESSAGE)
  customerPortalUrl = 'https://customers.gitlab.com';
  @EnvString() cloudConnectorServiceName = 'gitlab-ai-gateway';
  @EnvNumber(0) shutdownGracePeriodS = 30;
  /** After SIGTERM: readiness fails while both listeners still accept, so load balancers catch up first. */
  @EnvNumber(0) shutdownUnreadyDelayS = 5;
  /** Worker processes sharing the ports; `auto` = one per core. */
  @Transform(({ value }) =>
    typeof value === 'string' && value.trim().toLowerCase() === 'auto' ? availableParallelism() : value,
  )
  @EnvInt(1, 256, 'or auto')
  workers = 1;
  /** Extra CA bundle (PEM) trusted for outbound HTTPS, from `SSL_CERT_FILE` or `REQUESTS_CA_BUNDLE`. */
  @ValidateIf((_, value) => value !== '') @PemCertificateFile() caBundleFile = '';
  /** `{"<engine>": {"<model name>": limit}}`, GitLab's gateway's own shape; per process (each worker its own). */
  @EnvConcurrencyLimits() modelEngineConcurrencyLimits: Record<string, Record<string, number>> = {};
  /** `{"<prompt_id>": "<family>"}` used when a request names no model. */
  @EnvJsonObject() defaultPrompts: Record<string, string> = {};

  @Nested(() => FastapiConfig) fastapi = new FastapiConfig();
  @Nested(() => HttpConfig) http = new HttpConfig();
  @Nested(() => AuthConfig) auth = new AuthConfig();
  @Nested(() => SelfSignedJwtConfig) selfSignedJwt = new SelfSignedJwtConfig();
  @Nested(() => CustomModelsConfig) customModels = new CustomModelsConfig();
  @Nested(() => ModelProvidersConfig) modelProviders = new ModelProvidersConfig();
  @Nested(() => DuoChatConfig) duoChat = new DuoChatConfig();
  @Nested(() => ModelClientConfig) modelClient = new ModelClientConfig();
  @Nested(() => ModelRoutesConfig) modelRoutes = new ModelRoutesConfig();
  @Nested(() => LoggingConfig) logging = new LoggingConfig();
  @Nested(() => ModelKeysConfig) modelKeys = new ModelKeysConfig();
  @Nested(() => FeatureFlagsConfig) featureFlags = new FeatureFlagsConfig();
  @Nested(() => AgentPlatformConfig) agentPlatform = new AgentPlatformConfig();
  @Nested(() => AwsConfig) aws = new AwsConfig();
  @Nested(() => AzureOpenaiConfig) azureOpenai = new AzureOpenaiConfig();
  @Nested(() => DuoWorkflowConfig) duoWorkflow = new DuoWorkflowConfig();
  @Nested(() => TracingConfig) tracing = new TracingConfig();
  @Nested(() => AdminConfig) admin = new AdminConfig();
  @Nested(() => ProxyConfig) proxy = new ProxyConfig();
  @Nested(() => DocsSearchConfig) docsSearch = new DocsSearchConfig();
  @Nested(() => EmbeddingsConfig) embeddings = new EmbeddingsConfig();
  @Nested(() => LimitsConfig) limits = new LimitsConfig();
  @Nested(() => RedisConfig) redis = new RedisConfig();
  @Nested(() => CompletionCacheConfig) completionCache = new CompletionCacheConfig();
}
