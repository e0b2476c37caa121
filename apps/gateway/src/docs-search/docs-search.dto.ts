import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RequiredNested, RequiredString } from '../validation/field-rules';

/** Rails' documentation tool asks for 4 unless it says otherwise (http-api.md §4.2). */
export const DEFAULT_PAGE_SIZE = 4;

export class SearchMetadataDto {
  @RequiredString(100) source!: string;
  /** The asking GitLab's version. */
  @RequiredString(100) version!: string;
}

export class SearchPayloadDto {
  @ApiProperty({ example: 'How do I rotate a runner token?' }) @RequiredString(400_000) query!: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @IsInt({ message: 'Input should be a valid integer' })
  @Min(1, { message: 'Input should be greater than or equal to 1' })
  @Max(20, { message: 'Input should be less than or equal to 20' })
  page_size?: number;
}

/** `POST /v1/search/gitlab-docs` (gitlab-versions.md §6, http-api.md §4.2). */
export class SearchRequestDto {
  @RequiredString(100) type!: string;
  @RequiredNested(SearchMetadataDto) metadata!: SearchMetadataDto;
  @RequiredNested(SearchPayloadDto) payload!: SearchPayloadDto;
}

export interface SearchResult {
  /** The page's path below `doc/`, e.g. `/user/project/index.md`. */
  id: string;
  content: string;
  metadata: SearchResultMetadata;
}

export interface SearchResultMetadata {
  filename: string;
  title: string;
  /** The section's heading and its anchor on the page (`''`: the top of the page). */
  heading: string;
  anchor: string;
  md5sum: string;
  source: string;
  source_type: 'doc';
  source_url: string;
}

export interface SearchResponse {
  response: { results: SearchResult[] };
  metadata: { provider: 'sqlite'; timestamp: number };
}
