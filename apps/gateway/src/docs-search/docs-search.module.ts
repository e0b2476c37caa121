import { Module } from '@nestjs/common';
import { DocsIndex } from './docs-index';
import { DocsSearchController } from './docs-search.controller';
import { DocsSearchService } from './docs-search.service';

@Module({
  controllers: [DocsSearchController],
  providers: [DocsIndex, DocsSearchService],
})
export class DocsSearchModule {}
