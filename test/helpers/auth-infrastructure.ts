import { Global, Injectable, Module } from '@nestjs/common';
import { OutboundHttp } from '@app/common';
import { testOutbound } from './provider-kit';

/** A readiness registry that records nothing, for `AuthModule.registerAsync({ readiness: NoReadiness })`. */
@Injectable()
export class NoReadiness {
  register(): void {}
}

/** What AuthModule needs from the app around it, for specs and benchmarks that build AuthModule alone. */
@Global()
@Module({
  providers: [
    NoReadiness,
    {
      provide: OutboundHttp,
      useFactory: () => testOutbound({ connectTimeoutS: 10, readTimeoutS: 10, keepAliveTimeoutS: 1 }),
    },
  ],
  exports: [NoReadiness, OutboundHttp],
})
export class StandInInfrastructure {}
