export {
  ChatMessage,
  ChatRole,
  Chunk,
  Completion,
  EmbeddingRequest,
  Embeddings,
  FinishReason,
  GenerationParams,
  ModelProvider,
  ModelProviderDefinition,
  ModelRequest,
  ModelTarget,
  StreamEventTooLarge,
  ToolCall,
  ToolDefinition,
  Usage,
} from '@gitlab-ai-gateway/provider-api';
export { BUILT_IN_MODEL_PROVIDERS } from './providers/built-in-providers';
export { ModelCallGate, ModelCallPass } from './model-call-gate';
export { ModelsModule, ModelsModuleAsyncOptions } from './models.module';
export { AwsOptions, ModelsOptions } from './models-options';
export { InferenceLabels, ModelFieldNames, modelEndpointRequired, ModelService } from './model.service';
export { ModelMetadata, resolveModelTarget, TargetDefaults } from './routing/model-target';
export { validateModelEndpoint } from './routing/model-endpoint';
export {
  GENERAL_MODEL,
  isKnownModel,
  ModelFamily,
  MODEL_FAMILIES,
  ModelUseCase,
  promptFamiliesOf,
} from './catalog/model-families';
export { MODEL_METADATA_LIMITS, modelMetadataProblem } from './catalog/model-metadata-limits';
export { codeSuggestionModelError, inputTokenLimit, legacyChatParams } from './catalog/model-catalog';
export {
  EndpointSlot,
  EndpointSnapshot,
  ModelCallError,
  ModelEndpointStats,
  ModelStatsSnapshot,
  SLOT_MS,
  WINDOW_SLOTS,
} from './telemetry/model-endpoint-stats';
export { LatencyHistogram, latencyQuantile, mergeLatencies } from './telemetry/latency-histogram';
export { ModelRoutes, RoutePlan } from './pools/model-routes';
export { parseRoutes, readRoutesFile } from './pools/routes-file';
export { RoutesFileError } from './pools/routes-source';
export { EndpointPool } from './pools/endpoint-pool';
