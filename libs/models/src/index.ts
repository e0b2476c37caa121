export * from './model-types';
export { ModelsModule, ModelsModuleAsyncOptions } from './models.module';
export { AwsOptions, ModelsOptions } from './models-options';
export { InferenceLabels, ModelFieldNames, modelEndpointRequired, ModelService } from './model.service';
export { ModelMetadata, resolveModelTarget, TargetDefaults } from './routing/model-target';
export { validateModelEndpoint } from './routing/model-endpoint';
export { GENERAL_MODEL, isKnownModel, ModelUseCase, promptFamiliesOf } from './catalog/model-families';
export { codeSuggestionModelError, inputTokenLimit, legacyChatParams } from './catalog/model-catalog';
export { StreamEventTooLarge } from './transport/upstream-errors';
