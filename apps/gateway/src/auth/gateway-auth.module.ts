import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AppConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness-registry';

/**
 * Authentication (libs/auth) as this app configures it: import it where an authenticator or a token issuer is
 * injected. Its scope guard is an app-wide guard wherever it is imported.
 */
@Module({
  imports: [
    AuthModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => config,
      readiness: ReadinessRegistry,
    }),
  ],
  exports: [AuthModule],
})
export class GatewayAuthModule {}
