export * from './model-types';
export { ModelsModule, ModelsModuleAsyncOptions } from './models.module';
export { AwsOptions, ModelsOptions } from './models-options';
export { InferenceLabels, ModelService } from './model.service';
export { ModelMetadata, resolveModelTarget, TargetDefaults } from './routing/model-target';
export { validateModelEndpoint } from './routing/model-endpoint';
export { ModelFamily, MODEL_FAMILIES, ModelUseCase } from './catalog/model-families';
export {
  codeSuggestionModelError,
  inputTokenLimit,
  legacyChatParams,
  legacyTextParams,
  supportsUseCase,
} from './catalog/model-catalog';
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
