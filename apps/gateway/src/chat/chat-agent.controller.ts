import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity, RequireScope } from '@app/auth';
import { HttpStreamWriter } from '../streaming/http-stream-writer';
import { ChatAgentRequestDto } from './chat-agent.dto';
import { withMessages } from './legacy-agent-request';
import { ReactAgentService } from './react-agent.service';

@Controller('v2/chat')
export class ChatAgentController {
  constructor(
    private readonly agent: ReactAgentService,
    private readonly writer: HttpStreamWriter,
  ) {}

  /** The newest `chat/react` prompts need `duo_classic_chat`; older tokens carry `duo_chat` (gitlab-versions.md §1). */
  @Post('agent')
  @HttpCode(200)
  @RequireScope({
    primitives: ['duo_classic_chat', 'duo_chat'],
    match: 'any',
    message: 'Unauthorized to access duo chat',
  })
  async run(
    @Body() body: ChatAgentRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const step = this.agent.prepare(withMessages(body), identity);
    await this.writer.send(reply, 'application/x-ndjson; charset=utf-8', (signal) => this.agent.run(step, signal));
  }
}
