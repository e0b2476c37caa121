import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity } from '@app/auth';
import { Usage } from '@app/models';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { HttpStreamWriter } from '../streaming/http-stream-writer';
import { PromptRequestDto, PromptResponseV2 } from './prompts.dto';
import { PromptInvocation, PromptsService } from './prompts.service';

/**
 * `POST /v2/prompts/{prompt_id}` (gitlab-versions.md §4): `/v1/prompts` with a JSON object answer,
 * `{"content", "usage"?}`; streamed, one such object per line.
 */
@Controller('v2/prompts')
export class PromptsV2Controller {
  constructor(
    private readonly prompts: PromptsService,
    private readonly writer: HttpStreamWriter,
  ) {}

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
      const { text, usage } = await this.prompts.generate(invocation, clientDisconnectSignal(reply));
      reply.type('application/json').send(JSON.stringify(responseOf(invocation, text, usage)));
      return;
    }
    await this.writer.send(reply, 'text/event-stream; charset=utf-8', (signal) => this.lines(invocation, signal));
  }

  private async *lines(invocation: PromptInvocation, signal: AbortSignal): AsyncGenerator<string> {
    for await (const output of this.prompts.stream(invocation, signal)) {
      const response =
        output.type === 'text' ? responseOf(invocation, output.text) : responseOf(invocation, '', output.usage);
      yield `${JSON.stringify(response)}\n`;
    }
  }
}

function responseOf(invocation: PromptInvocation, content: string, usage?: Usage): PromptResponseV2 {
  if (!usage) return { content };
  return {
    content,
    usage: { [invocation.target.model]: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } },
  };
}
