import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { HttpAuthenticator } from './http-authenticator';
import { TokenVerifier } from './token-verifier';

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
      ],
      exports: [HttpAuthenticator, TokenVerifier],
    };
  }
}
