import { Inject, Injectable } from '@nestjs/common';
import { Identity } from '@app/auth';
import { ChatMessage } from '@app/models';
import { AppConfig } from '../config';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';

const EXPANDED_LOGGING_FLAG = 'expanded_ai_logging';

/**
 * Logs the messages sent to a model and the text it returned, only when `AIGW_LOGGING__ENABLE_REQUEST_LOGGING`
 * is on or the request carries the `expanded_ai_logging` flag (http-api.md §5.4). Targets, endpoints and keys
 * are never part of the entry.
 */
@Injectable()
export class ModelExchangeLogger {
  constructor(
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  logRequest(identity: Identity | undefined, feature: string, messages: ChatMessage[]): void {
    if (!this.isEnabled(identity)) return;
    this.logger.info({ logger: 'model.exchange', feature, messages }, 'Model request');
  }

  logResponse(identity: Identity | undefined, feature: string, text: string): void {
    if (!this.isEnabled(identity)) return;
    this.logger.info({ logger: 'model.exchange', feature, response: text }, 'Model response');
  }

  private isEnabled(identity: Identity | undefined): boolean {
    return (
      this.config.logging.enableRequestLogging || (identity?.enabledFeatureFlags ?? []).includes(EXPANDED_LOGGING_FLAG)
    );
  }
}
