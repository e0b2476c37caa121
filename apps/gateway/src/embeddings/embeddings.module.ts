import { Module } from '@nestjs/common';
import { ModelRequestsModule } from '../model-requests/model-requests.module';
import { EmbeddingsController } from './embeddings.controller';
import { EmbeddingsService } from './embeddings.service';

@Module({ imports: [ModelRequestsModule], controllers: [EmbeddingsController], providers: [EmbeddingsService] })
export class EmbeddingsModule {}
