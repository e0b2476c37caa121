import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { assertCan, CurrentIdentity, Identity, RequireScope } from '@app/auth';
import { HttpStreamWriter } from '../streaming/http-stream-writer';
import { ChatAgentRequestDto } from './chat-agent.dto';
import { ReactAgentService } from './react-agent.service';

@Controller('v2/chat')
export class ChatAgentController {
  constructor(
    private readonly agent: ReactAgentService,
    private readonly writer: HttpStreamWriter,
  ) {}

  @Post('agent')
  @HttpCode(200)
  @RequireScope({ primitives: ['duo_chat'], message: 'Unauthorized to access duo chat' })
  async run(
    @Body() body: ChatAgentRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    for (const category of new Set(
      body.messages.flatMap((message) => message.additional_context ?? []).map((item) => item.category),
    )) {
      const primitive = `include_${category}_context`;
      assertCan(identity, { primitives: [primitive], message: `Unauthorized to access ${primitive}` });
    }
    await this.writer.send(reply, 'application/x-ndjson; charset=utf-8', (signal) =>
      this.agent.run(body, identity, signal),
    );
  }
}
