import { Global, Module } from '@nestjs/common';
import { ShutdownState } from '@app/common';

@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
