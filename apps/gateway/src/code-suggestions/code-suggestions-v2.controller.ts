import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '@app/auth';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { CodeCompletionsService } from './code-completions.service';
import { CodeGenerationsService } from './code-generations.service';
import {
  COMPLETIONS_REQUEST,
  CompletionsRequest,
  GENERATIONS_REQUEST,
  GenerationsRequest,
} from './code-suggestions.dto';
import { ParseBodyPipe } from './parse-body.pipe';
import { versionedBodyParser } from './request-parsers';
import { SuggestionsResponder } from './suggestions-responder';

/** `/v2/code/completions` (and `/v2/completions`, which IDEs call directly) and `/v2/code/generations`. */
@Controller()
export class CodeSuggestionsV2Controller {
  constructor(
    private readonly completions: CodeCompletionsService,
    private readonly generations: CodeGenerationsService,
    private readonly responder: SuggestionsResponder,
  ) {}

  @Post(['v2/code/completions', 'v2/completions'])
  @RequireScope({ primitives: ['complete_code'], message: 'Unauthorized to access code completions' })
  async complete(
    @Body(new ParseBodyPipe(versionedBodyParser(COMPLETIONS_REQUEST))) body: CompletionsRequest,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.responder.sendV2(
      request,
      reply,
      await this.completions.complete(body, request.identity?.userId, clientDisconnectSignal(reply)),
    );
  }

  @Post('v2/code/generations')
  @RequireScope({
    primitives: ['generate_code'],
    message: 'Unauthorized to access code generations',
    rejectIssuers: ['gitlab-ai-gateway'],
  })
  async generate(
    @Body(new ParseBodyPipe(versionedBodyParser(GENERATIONS_REQUEST))) body: GenerationsRequest,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.responder.sendV2(
      request,
      reply,
      await this.generations.generate(body, request.identity?.userId, clientDisconnectSignal(reply)),
    );
  }
}
