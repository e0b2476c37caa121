import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { projectRoot } from '../project-root';
import { ModelRequestsModule } from '../model-requests/model-requests.module';
import { StreamingModule } from '../streaming/streaming.module';
import { PromptDefinition } from './prompt-definition';
import { loadPromptDefinitions } from './prompt-loader';
import { PromptRegistry } from './prompt-registry';
import { PromptsController } from './prompts.controller';
import { PromptsService } from './prompts.service';

/** Relative to the project root; the Docker image must copy this folder. */
export const PROMPT_DEFINITIONS_DIR = 'apps/gateway/src/prompts/definitions';

/** `AIGW_DUO_CHAT__MAX_TOKENS` replaces `max_tokens` of every Duo Chat prompt (gitlab-versions.md §7). */
export function withChatMaxTokens(definitions: PromptDefinition[], maxTokens: number | undefined): PromptDefinition[] {
  if (maxTokens === undefined) return definitions;
  return definitions.map((definition) =>
    definition.id.startsWith('chat/') ? definition.withParams({ maxTokens }) : definition,
  );
}

@Module({
  imports: [ModelRequestsModule, StreamingModule],
  controllers: [PromptsController],
  providers: [
    {
      provide: PromptRegistry,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new PromptRegistry(
          withChatMaxTokens(
            loadPromptDefinitions(join(projectRoot(), PROMPT_DEFINITIONS_DIR)),
            config.duoChat.maxTokens,
          ),
          config.defaultPrompts,
        ),
    },
    PromptsService,
  ],
  exports: [PromptRegistry],
})
export class PromptsModule {}
