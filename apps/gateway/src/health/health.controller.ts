import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownState } from '@app/common';
import { AppConfig } from '../config';
import { ReadinessRegistry } from './readiness-registry';

/**
 * `/monitoring/healthz` is liveness only (`{}`). `/monitoring/ready` reports what is configured and
 * fails only while draining: upstream's readiness probes hosted models and never passes self-hosted
 * (http-api.md §5.1, §9.1), so we do not copy it.
 */
@ApiExcludeController()
@Controller('monitoring')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
    private readonly shutdown: ShutdownState,
    private readonly config: AppConfig,
  ) {}

  @Get('healthz')
  healthz(): Record<string, never> {
    return {};
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => {
        const serving = this.indicators.check('serving');
        return this.shutdown.isDraining ? serving.down({ reason: 'shutting down' }) : serving.up();
      },
      () =>
        this.indicators.check('custom_models').up({
          enabled: this.config.customModels.enabled,
          streaming: !this.config.customModels.disableStreaming,
        }),
      ...this.readiness.all(),
    ]);
  }
}
