import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { EnvRecord } from './env-tree';
import { loadAppConfig } from './load-config';

const CONFIG_KEY = 'app';

/** Validates the environment once at boot and offers the typed {@link AppConfig} for injection. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(env: EnvRecord): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          validatePredefined: false,
          validate: () => ({ [CONFIG_KEY]: loadAppConfig(env) }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (configService: ConfigService) => configService.getOrThrow<AppConfig>(CONFIG_KEY),
        },
      ],
      exports: [AppConfig],
    };
  }
}
