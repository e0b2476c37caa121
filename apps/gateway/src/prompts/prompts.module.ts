import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { projectRoot } from '../project-root';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';

/** Relative to the project root; the Docker image must copy this folder. */
export const PROMPT_DEFINITIONS_DIR = 'apps/gateway/src/prompts/definitions';

@Module({
  providers: [
    {
      provide: PromptRegistry,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new PromptRegistry(loadPromptDefinitions(join(projectRoot(), PROMPT_DEFINITIONS_DIR)), config.defaultPrompts),
    },
  ],
  exports: [PromptRegistry],
})
export class PromptsModule {}
