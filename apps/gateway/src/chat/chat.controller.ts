import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { assertCan, CurrentIdentity, Identity } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { HttpStreamWriter } from '../streaming/http-stream-writer';
import { ChatRequestDto, ChatResponse } from './chat.dto';
import { ChatService } from './chat.service';

/** Invokable → the unit primitive it needs (http-api.md §1.5). */
const INVOKABLE_PRIMITIVES: Record<string, string> = {
  explain_code: 'duo_chat',
  write_tests: 'duo_chat',
  refactor_code: 'duo_chat',
  agent: 'duo_chat',
  explain_vulnerability: 'explain_vulnerability',
  summarize_comments: 'summarize_comments',
  troubleshoot_job: 'troubleshoot_job',
};

@Controller('v1/chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly writer: HttpStreamWriter,
  ) {}

  @Post(':chat_invokable')
  @HttpCode(200)
  async invoke(
    @Param('chat_invokable') invokable: string,
    @Body() body: ChatRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const primitive = Object.hasOwn(INVOKABLE_PRIMITIVES, invokable) ? INVOKABLE_PRIMITIVES[invokable] : undefined;
    if (!primitive) throw new AppError(ErrorCode.NotFound, 'Not found');
    assertCan(identity, { primitives: [primitive], message: `Unauthorized to access ${primitive}` });
    const [component] = body.prompt_components;
    const invocation = this.chat.prepare(invokable, component, identity);
    if (body.stream) {
      await this.writer.send(reply, 'text/event-stream; charset=utf-8', (signal) =>
        this.chat.stream(invocation, signal),
      );
      return;
    }
    const answer: ChatResponse = {
      response: await this.chat.generate(invocation, clientDisconnectSignal(reply)),
      metadata: {
        // provider null is answered as Anthropic, which serves it (http-api.md §9.6).
        provider: component.payload.provider ?? 'anthropic',
        model: component.payload.model,
        timestamp: Math.floor(Date.now() / 1000),
      },
    };
    reply.type('application/json').send(JSON.stringify(answer));
  }
}
