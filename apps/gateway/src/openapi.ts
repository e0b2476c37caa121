import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastapiConfig } from './config';
import { gatewayVersion } from './version';

/** `/docs` and `/openapi.json` (both behind auth, as upstream; http-api.md §5.2). Empty paths disable them. */
export function setUpOpenApi(app: NestFastifyApplication, config: FastapiConfig): void {
  if (!config.docsUrl && !config.openapiUrl) return;
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle('GitLab AI Gateway').setVersion(gatewayVersion()).addBearerAuth().build(),
    );
  SwaggerModule.setup(config.docsUrl || '/docs', app, document, {
    ui: !!config.docsUrl,
    raw: config.openapiUrl ? ['json'] : false,
    jsonDocumentUrl: config.openapiUrl || undefined,
  });
}
