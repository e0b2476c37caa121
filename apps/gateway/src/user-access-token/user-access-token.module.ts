import { Module } from '@nestjs/common';
import { UserAccessTokenController } from './user-access-token.controller';

@Module({ controllers: [UserAccessTokenController] })
export class UserAccessTokenModule {}
