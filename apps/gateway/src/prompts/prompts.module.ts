import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { projectRoot } from '../project-root';
import { StreamingModule } from '../streaming/streaming.module';
import { ModelExchangeLogger } from './model-exchange-logger';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';
import { PromptsController } from './prompts.controller';
import { PromptsService } from './prompts.service';

/** Relative to the project root; the Docker image must copy this folder. */
export const PROMPT_DEFINITIONS_DIR = 'apps/gateway/src/prompts/definitions';

@Module({
  imports: [StreamingModule],
  controllers: [PromptsController],
  providers: [
    {
      provide: PromptRegistry,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new PromptRegistry(loadPromptDefinitions(join(projectRoot(), PROMPT_DEFINITIONS_DIR)), config.defaultPrompts),
    },
    PromptsService,
    ModelExchangeLogger,
  ],
  exports: [PromptRegistry, ModelExchangeLogger],
})
export class PromptsModule {}
