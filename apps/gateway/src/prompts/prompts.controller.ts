import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity } from '@app/auth';
import { Usage } from '@app/models';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { HttpStreamWriter } from '../streaming/http-stream-writer';
import { PromptRequestDto, PromptResponseV2 } from './prompts.dto';
import { PromptInvocation, PromptOutput, PromptsService } from './prompts.service';

/** How one version of the prompt routes writes an answer: whole (as JSON) and streamed (text per output). */
interface AnswerShape {
  whole(invocation: PromptInvocation, text: string, usage?: Usage): unknown;
  streamed(invocation: PromptInvocation, output: PromptOutput): string | undefined;
}

/** `/v1/prompts` (http-api.md §3.3): a JSON string; streamed, the raw text. */
const V1: AnswerShape = {
  whole: (_invocation, text) => text,
  streamed: (_invocation, output) => (output.type === 'text' ? output.text : undefined),
};

/** `/v2/prompts` (gitlab-versions.md §4): `{"content", "usage"?}`; streamed, one such object per line. */
const V2: AnswerShape = {
  whole: (invocation, text, usage) => responseV2(invocation, text, usage),
  streamed: (invocation, output) => {
    const response =
      output.type === 'text' ? responseV2(invocation, output.text) : responseV2(invocation, '', output.usage);
    return `${JSON.stringify(response)}\n`;
  },
};

/** The id may hold slashes, literal or `%2F`-encoded (the router decodes both): `chat/explain_code`. */
@Controller()
export class PromptsController {
  constructor(
    private readonly prompts: PromptsService,
    private readonly writer: HttpStreamWriter,
  ) {}

  @Post('v1/prompts/*')
  @HttpCode(200)
  invokeV1(
    @Param('*') promptId: string,
    @Body() body: PromptRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.answer(V1, this.prompts.prepare(promptId, body, identity), body.stream, reply);
  }

  @Post('v2/prompts/*')
  @HttpCode(200)
  invokeV2(
    @Param('*') promptId: string,
    @Body() body: PromptRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.answer(V2, this.prompts.prepare(promptId, body, identity), body.stream, reply);
  }

  private async answer(
    shape: AnswerShape,
    invocation: PromptInvocation,
    stream: boolean,
    reply: FastifyReply,
  ): Promise<void> {
    if (!stream) {
      const { text, usage } = await this.prompts.generate(invocation, clientDisconnectSignal(reply));
      reply.type('application/json').send(JSON.stringify(shape.whole(invocation, text, usage)));
      return;
    }
    const prompts = this.prompts;
    await this.writer.send(reply, 'text/event-stream; charset=utf-8', async function* (signal) {
      for await (const output of prompts.stream(invocation, signal)) {
        const chunk = shape.streamed(invocation, output);
        if (chunk !== undefined) yield chunk;
      }
    });
  }
}

function responseV2(invocation: PromptInvocation, content: string, usage?: Usage): PromptResponseV2 {
  if (!usage) return { content };
  return {
    content,
    usage: { [invocation.target.model]: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens } },
  };
}
