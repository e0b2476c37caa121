import { STATUS_CODES } from 'node:http';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity } from '@app/auth';
import { AppError, ErrorCode, isModelError } from '@app/common';
import { HttpStreamWriter } from '../streaming/http-stream-writer';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { PromptRequestDto } from './prompts.dto';
import { PromptsService } from './prompts.service';

@Controller('v1/prompts')
export class PromptsController {
  constructor(
    private readonly prompts: PromptsService,
    private readonly writer: HttpStreamWriter,
  ) {}

  /** The id may hold slashes, literal or `%2F`-encoded (the router decodes both): `chat/explain_code`. */
  @Post('*')
  @HttpCode(200)
  async invoke(
    @Param('*') promptId: string,
    @Body() body: PromptRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const invocation = this.prompts.prepare(promptId, body, identity);
    try {
      if (!body.stream) {
        reply
          .type('application/json')
          .send(JSON.stringify(await this.prompts.generate(invocation, clientDisconnectSignal(reply))));
        return;
      }
      await this.writer.send(reply, 'text/event-stream; charset=utf-8', (signal) =>
        this.prompts.stream(invocation, signal),
      );
    } catch (error) {
      if (!isModelError(error)) throw error;
      if (error.upstreamStatus === undefined) throw new AppError(ErrorCode.Internal, error.message, { cause: error });
      misdirected(reply, error.upstreamStatus);
    }
  }
}

/**
 * A model server's HTTP error is answered 421 `"<status>: <reason>"`, other model failures 500 (http-api.md
 * §3.3). Written here because no error code maps to 421: it is this route's contract, not a general status.
 */
function misdirected(reply: FastifyReply, upstreamStatus: number): void {
  const detail = `${upstreamStatus}: ${STATUS_CODES[upstreamStatus] ?? 'Unknown'}`;
  reply.code(421).type('application/json').send(JSON.stringify({ detail }));
}
