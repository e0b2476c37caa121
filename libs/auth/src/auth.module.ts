import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { HttpAuthenticator } from './http-authenticator';
import { TokenVerifier } from './token-verifier';
import { ScopeGuard } from './unit-primitives';

export interface AuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...deps: never[]) => AuthOptions;
}

@Module({})
export class AuthModule {
  static registerAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: AUTH_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        TokenVerifier,
        HttpAuthenticator,
        { provide: APP_GUARD, useClass: ScopeGuard },
      ],
      exports: [HttpAuthenticator, TokenVerifier],
    };
  }
}
