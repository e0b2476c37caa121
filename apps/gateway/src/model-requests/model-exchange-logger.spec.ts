import { Identity } from '@app/auth';
import { AppConfig } from '../config';
import { RootLogger } from '../logging/logging.module';
import { ModelExchangeLogger } from './model-exchange-logger';

const caller = (enabledFeatureFlags: string[]) =>
  ({ isDebug: false, scopes: [], enabledFeatureFlags }) as unknown as Identity;
const MESSAGES = [{ role: 'user' as const, content: 'Hello' }];

describe(ModelExchangeLogger.name, () => {
  let config: AppConfig;
  let info: jest.Mock;
  let exchangeLog: ModelExchangeLogger;

  beforeEach(() => {
    config = new AppConfig();
    info = jest.fn();
    exchangeLog = new ModelExchangeLogger(config, { info } as unknown as RootLogger);
  });

  it('logs nothing by default', () => {
    exchangeLog.logRequest(caller([]), 'chat/explain_code', MESSAGES);
    exchangeLog.logResponse(caller([]), 'chat/explain_code', 'Hi');
    expect(info).not.toHaveBeenCalled();
  });

  it('logs prompts and responses for requests with the expanded_ai_logging flag', () => {
    exchangeLog.logRequest(caller(['expanded_ai_logging']), 'chat/explain_code', MESSAGES);
    exchangeLog.logResponse(caller(['expanded_ai_logging']), 'chat/explain_code', 'Hi');
    expect(info.mock.calls).toEqual([
      [{ logger: 'model.exchange', feature: 'chat/explain_code', messages: MESSAGES }, 'Model request'],
      [{ logger: 'model.exchange', feature: 'chat/explain_code', response: 'Hi' }, 'Model response'],
    ]);
  });

  it('logs for every request with AIGW_LOGGING__ENABLE_REQUEST_LOGGING', () => {
    config.logging.enableRequestLogging = true;
    exchangeLog.logRequest(undefined, 'chat/react', MESSAGES);
    expect(info).toHaveBeenCalledTimes(1);
  });
});
