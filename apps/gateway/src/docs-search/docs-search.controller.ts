import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { assertCan, CurrentIdentity, Identity } from '@app/auth';
import { SearchRequestDto, SearchResponse } from './docs-search.dto';
import { DocsSearchService } from './docs-search.service';

@Controller('v1/search')
@ApiBearerAuth()
export class DocsSearchController {
  constructor(private readonly docs: DocsSearchService) {}

  /** Duo Chat's `gitlab_documentation` tool. The body is checked before the scope, as upstream does. */
  @Post('gitlab-docs')
  @HttpCode(200)
  async search(
    @Body() body: SearchRequestDto,
    @CurrentIdentity() identity: Identity | undefined,
  ): Promise<SearchResponse> {
    assertCan(identity, { primitives: ['documentation_search'], message: 'Unauthorized to search documentations' });
    return {
      response: { results: await this.docs.search(body) },
      metadata: { provider: 'sqlite', timestamp: Math.floor(Date.now() / 1000) },
    };
  }
}
