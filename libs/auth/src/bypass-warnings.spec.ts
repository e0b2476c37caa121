import { Logger } from '@nestjs/common';
import { AuthOptions } from './auth-options';
import { BypassWarnings } from './bypass-warnings';

const optionsWith = (auth: Partial<AuthOptions['auth']>, workflowEnabled = true) =>
  ({
    auth: { bypassExternal: false, bypassExternalWithHeader: false, bypassJwtSignature: false, ...auth },
    duoWorkflow: { auth: { enabled: workflowEnabled } },
  }) as unknown as AuthOptions;

describe(BypassWarnings.name, () => {
  let fatal: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    fatal = jest.spyOn(Logger.prototype, 'fatal').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('says nothing when authentication is whole', () => {
    new BypassWarnings(optionsWith({})).onApplicationBootstrap();
    expect(fatal).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs each HTTP bypass and disabled gRPC auth as a warning, once each, never as fatal', () => {
    const options = optionsWith(
      { bypassExternal: true, bypassExternalWithHeader: true, bypassJwtSignature: true },
      false,
    );
    new BypassWarnings(options).onApplicationBootstrap();
    expect(warn.mock.calls.map(([message]) => String(message).split('=')[0])).toEqual([
      'AIGW_AUTH__BYPASS_EXTERNAL',
      'AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER',
      'AIGW_AUTH__BYPASS_JWT_SIGNATURE',
      'DUO_WORKFLOW_AUTH__ENABLED',
    ]);
    expect(fatal).not.toHaveBeenCalled();
  });
});
