import { Module } from '@nestjs/common';
import { ModelRequestsModule } from '../model-requests/model-requests.module';
import { PromptsModule } from '../prompts/prompts.module';
import { StreamingModule } from '../streaming/streaming.module';
import { CachedCompletions } from './cached-completions';
import { CodeCompletionsService } from './code-completions.service';
import { CodeGenerationsService } from './code-generations.service';
import { CodeSuggestionsMetrics } from './code-suggestions-metrics';
import { CodeSuggestionsV2Controller } from './code-suggestions-v2.controller';
import { CodeSuggestionsV3Controller } from './code-suggestions-v3.controller';
import { CodeSuggestionsV3Service } from './code-suggestions-v3.service';
import { SelfHostedTargets } from './self-hosted-targets';
import { SuggestionModelClient } from './suggestion-model-client';
import { SuggestionsResponder } from './suggestions-responder';

/** Code suggestions: `/v2/code/completions`, `/v2/completions`, `/v2/code/generations`, `/v3`, `/v4` (http-api.md §2). */
@Module({
  imports: [ModelRequestsModule, PromptsModule, StreamingModule],
  controllers: [CodeSuggestionsV2Controller, CodeSuggestionsV3Controller],
  providers: [
    CachedCompletions,
    CodeCompletionsService,
    CodeGenerationsService,
    CodeSuggestionsV3Service,
    CodeSuggestionsMetrics,
    SelfHostedTargets,
    SuggestionModelClient,
    SuggestionsResponder,
  ],
})
export class CodeSuggestionsModule {}
