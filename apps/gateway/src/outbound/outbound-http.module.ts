import { Global, Module } from '@nestjs/common';
import { OUTBOUND_HTTP_OPTIONS, OutboundHttp } from '@app/common';
import { AppConfig } from '../config';

/** Offers the shared {@link OutboundHttp} client to every module (auth key fetching, model calls). */
@Global()
@Module({
  providers: [
    {
      provide: OUTBOUND_HTTP_OPTIONS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        caBundleFile: config.caBundleFile,
        ...config.modelClient,
        proxy: config.proxy,
      }),
    },
    OutboundHttp,
  ],
  exports: [OutboundHttp],
})
export class OutboundHttpModule {}
