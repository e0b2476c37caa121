import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '@app/auth';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { SuggestionsV3Body } from './code-suggestions.dto';
import { CodeSuggestionsV3Service } from './code-suggestions-v3.service';
import { ParseBodyPipe } from './parse-body.pipe';
import { parseSuggestionsV3Body } from './request-parsers';
import { SuggestionsResponder } from './suggestions-responder';

const CODE_SUGGESTIONS_SCOPE = {
  primitives: ['complete_code'],
  message: 'Unauthorized to access code suggestions',
  rejectIssuers: ['gitlab-ai-gateway'],
};

/** `/v3/code/completions` (raw streams) and `/v4/code/suggestions` (SSE streams), http-api.md §2.8–2.9. */
@Controller()
export class CodeSuggestionsV3Controller {
  constructor(
    private readonly suggestions: CodeSuggestionsV3Service,
    private readonly responder: SuggestionsResponder,
  ) {}

  @Post('v3/code/completions')
  @RequireScope(CODE_SUGGESTIONS_SCOPE)
  async completeV3(
    @Body(new ParseBodyPipe(parseSuggestionsV3Body)) body: SuggestionsV3Body,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.responder.sendV3(
      request,
      reply,
      await this.suggestions.suggest(body, request.headers, request.identity?.userId, clientDisconnectSignal(reply)),
    );
  }

  @Post('v4/code/suggestions')
  @RequireScope(CODE_SUGGESTIONS_SCOPE)
  async suggestV4(
    @Body(new ParseBodyPipe(parseSuggestionsV3Body)) body: SuggestionsV3Body,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.responder.sendV4(
      request,
      reply,
      await this.suggestions.suggest(body, request.headers, request.identity?.userId, clientDisconnectSignal(reply)),
    );
  }
}
