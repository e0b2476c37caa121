import { ApiProperty } from '@nestjs/swagger';

export class UserAccessTokenResponse {
  @ApiProperty({ description: 'RS256 JWT for /v2/code/completions' }) token!: string;
  @ApiProperty({ description: 'Unix seconds' }) expires_at!: number;
}
