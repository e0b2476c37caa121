import { ModelProviderDefinition } from '@gitlab-ai-gateway/provider-api';

/** AWS settings for Bedrock; without keys the SDK's default chain (instance role, profile, …) is used. */
export interface AwsOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Instead of the regional Bedrock runtime endpoint (VPC endpoints, test stand-ins). */
  bedrockEndpointUrl?: string;
}

/** What libs/models needs from the configuration; the app provides it under {@link MODELS_OPTIONS}. */
export interface ModelsOptions {
  /**
   * The model providers to register: `BUILT_IN_MODEL_PROVIDERS` and those of provider packages. A name given
   * twice fails start-up.
   */
  providers: readonly ModelProviderDefinition[];
  /** Origins or URL prefixes an endpoint must match; empty: any http(s) URL. */
  allowedEndpoints: string[];
  /** `api-version` query parameter of Azure OpenAI calls. */
  azureApiVersion: string;
  /** Key for Mistral's hosted APIs (`codestral`, `mistral` targets without an endpoint). */
  mistralApiKey?: string;
  /** Key for Anthropic's API (`anthropic` targets without an endpoint). */
  anthropicApiKey?: string;
  /** Headers (lower-case names) sent to every model endpoint a request names. */
  customModelHeaders: Record<string, string>;
  /** When set, a request's `X-Gitlab-User-Id` is sent to those endpoints under this (lower-case) header name. */
  userIdHeader?: string;
  aws: AwsOptions;
  /** `{"<engine>": {"<model name>": limit}}`: most concurrent calls per model in this process; unset: no limits. */
  concurrencyLimits?: Record<string, Record<string, number>>;
  /** Most bytes of whole model answers held at once in this process; default 256 MiB. */
  maxBufferedBytes?: number;
  /** Longest wait for a free slot of a concurrency limit before a 503; default 10 s. */
  queueTimeoutS?: number;
  /** `AIGW_MODEL_ROUTES__FILE`: endpoint pools and their routes; absent: every call goes where it names. */
  routesFile?: string;
}

export const MODELS_OPTIONS = Symbol('MODELS_OPTIONS');
