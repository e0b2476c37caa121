import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity } from '@app/auth';
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
    if (!body.stream) {
      const { text } = await this.prompts.generate(invocation, clientDisconnectSignal(reply));
      reply.type('application/json').send(JSON.stringify(text));
      return;
    }
    await this.writer.send(reply, 'text/event-stream; charset=utf-8', (signal) =>
      texts(this.prompts.stream(invocation, signal)),
    );
  }
}

async function* texts(outputs: ReturnType<PromptsService['stream']>): AsyncGenerator<string> {
  for await (const output of outputs) if (output.type === 'text') yield output.text;
}
