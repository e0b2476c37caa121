import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentIdentity, Identity } from '@app/auth';
import { clientDisconnectSignal } from '../streaming/client-disconnect';
import { EmbeddingsRequestDto, EmbeddingsResponse } from './embeddings.dto';
import { EmbeddingsService } from './embeddings.service';

/** gitlab-versions.md §8: one handler under three paths, as upstream (indexing and search ask the same). */
@Controller('v1/embeddings')
@ApiBearerAuth()
export class EmbeddingsController {
  constructor(private readonly embeddings: EmbeddingsService) {}

  @Post(['code_embeddings', 'code_embeddings/index', 'code_embeddings/search'])
  @HttpCode(200)
  embed(
    @Body() body: EmbeddingsRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EmbeddingsResponse> {
    const call = this.embeddings.prepare(body, identity);
    return this.embeddings.embed(call, clientDisconnectSignal(reply));
  }
}
