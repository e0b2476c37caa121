import { DynamicModule, Module } from '@nestjs/common';
import { AgentPlatformModule } from './agent-platform/agent-platform.module';
import { ChatModule } from './chat/chat.module';
import { GatewayAuthModule } from './auth/gateway-auth.module';
import { AppConfigModule, EnvRecord } from './config';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { RouteTable } from './errors/route-table';
import { RpcErrorFilter } from './errors/rpc-exception.filter';
import { HealthModule } from './health/health.module';
import { HttpPipeline } from './http/http-pipeline';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LimitsModule } from './limits/limits.module';
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
        LimitsModule,
        PromptsModule,
        ChatModule,
        GatewayAuthModule,
        UserAccessTokenModule,
        CodeSuggestionsModule,
        AgentPlatformModule,
        DocsSearchModule,
        EmbeddingsModule,
      ],
      providers: [RouteTable, HttpPipeline, HttpExceptionFilter, RpcErrorFilter, KeySourceMetrics],
    };
  }
}
