import { Module } from '@nestjs/common';
import { GatewayAuthModule } from '../auth/gateway-auth.module';
import { UserAccessTokenController } from './user-access-token.controller';

@Module({ imports: [GatewayAuthModule], controllers: [UserAccessTokenController] })
export class UserAccessTokenModule {}
