import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ModelsModule } from '@app/models';
import { AgentPlatformModule } from './agent-platform/agent-platform.module';
import { ChatModule } from './chat/chat.module';
import { AppConfig, AppConfigModule, EnvRecord } from './config';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { RouteTable } from './errors/route-table';
import { RpcErrorFilter } from './errors/rpc-exception.filter';
import { HealthModule } from './health/health.module';
import { ReadinessRegistry } from './health/readiness-registry';
import { HttpPipeline } from './http/http-pipeline';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { KeySourceMetrics } from './metrics/key-source-metrics';
import { MetricsModule } from './metrics/metrics.module';
import { OutboundHttpModule } from './outbound/outbound-http.module';
import { UserAccessTokenModule } from './user-access-token/user-access-token.module';
import { PromptsModule } from './prompts/prompts.module';
import { CodeSuggestionsModule } from './code-suggestions/code-suggestions.module';
import { DocsSearchModule } from './docs-search/docs-search.module';
import { EmbeddingsModule } from './embeddings/embeddings.module';

@Module({})
export class AppModule {
  static forRoot(env: EnvRecord): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        LoggingModule,
        LifecycleModule,
        MetricsModule,
        OutboundHttpModule,
        HealthModule,
        PromptsModule,
        ChatModule,
        AuthModule.registerAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => config,
          readiness: ReadinessRegistry,
        }),
        UserAccessTokenModule,
        CodeSuggestionsModule,
        AgentPlatformModule,
        DocsSearchModule,
        EmbeddingsModule,
        ModelsModule.registerAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            allowedEndpoints: config.customModels.allowedEndpoints,
            azureApiVersion: config.azureOpenai.apiVersion,
            mistralApiKey: config.modelKeys.mistralApiKey,
            anthropicApiKey: config.modelKeys.anthropicApiKey,
            customModelHeaders: config.customModels.extraHeaders,
            userIdHeader: config.customModels.userIdHeader || undefined,
            aws: config.aws,
          }),
        }),
      ],
      providers: [RouteTable, HttpPipeline, HttpExceptionFilter, RpcErrorFilter, KeySourceMetrics],
    };
  }
}
