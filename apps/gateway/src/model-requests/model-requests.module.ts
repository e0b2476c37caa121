import { Module } from '@nestjs/common';
import { BUILT_IN_MODEL_PROVIDERS, ModelsModule } from '@app/models';
import { AppConfig } from '../config';
import { ModelExchangeLogger } from './model-exchange-logger';
import { ModelSelection } from './model-selection';
import { loadProviderModules } from './provider-modules';

/**
 * The model layer (libs/models) as this app configures it, with what every capability that calls a model shares:
 * the `model_metadata` → target rule and the opt-in log of model exchanges. Import it where a model is called.
 */
@Module({
  imports: [
    ModelsModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        providers: [...BUILT_IN_MODEL_PROVIDERS, ...loadProviderModules(config.modelProviders.modules)],
        allowedEndpoints: config.customModels.allowedEndpoints,
        azureApiVersion: config.azureOpenai.apiVersion,
        mistralApiKey: config.modelKeys.mistralApiKey,
        anthropicApiKey: config.modelKeys.anthropicApiKey,
        customModelHeaders: config.customModels.extraHeaders,
        userIdHeader: config.customModels.userIdHeader || undefined,
        aws: config.aws,
        concurrencyLimits: config.modelEngineConcurrencyLimits,
        queueTimeoutS: config.modelClient.queueTimeoutS,
        maxBufferedBytes: config.modelClient.maxBufferedBytes,
        routesFile: config.modelRoutes.file || undefined,
      }),
    }),
  ],
  providers: [ModelSelection, ModelExchangeLogger],
  exports: [ModelsModule, ModelSelection, ModelExchangeLogger],
})
export class ModelRequestsModule {}
