import { ErrorCode } from '@app/common';
import { Identity } from './identity';
import { assertCan } from './unit-primitives';

const caller = (scopes: string[], issuer?: string) =>
  ({ isDebug: false, scopes, issuer, featureEnabledByNamespaceIds: [], enabledFeatureFlags: [] }) as Identity;
const CHAT = { primitives: ['duo_classic_chat', 'duo_chat'], message: 'Unauthorized to access duo chat' };

describe(assertCan.name, () => {
  it('needs every primitive by default', () => {
    expect(() => assertCan(caller(['a', 'b']), { primitives: ['a', 'b'], message: 'no' })).not.toThrow();
    expect(() => assertCan(caller(['a']), { primitives: ['a', 'b'], message: 'no' })).toThrow('no');
  });

  it.each([['duo_classic_chat'], ['duo_chat']])(
    'accepts a token with %s where one of the chat primitives suffices (gitlab-versions.md §1)',
    (scope) => {
      expect(() => assertCan(caller([scope]), { ...CHAT, match: 'any' })).not.toThrow();
    },
  );

  it('refuses with 403 and the message when none of them is granted or the issuer is rejected', () => {
    expect(() => assertCan(caller(['complete_code']), { ...CHAT, match: 'any' })).toThrow(
      expect.objectContaining({ code: ErrorCode.PermissionDenied, message: 'Unauthorized to access duo chat' }),
    );
    expect(() =>
      assertCan(caller(['duo_chat'], 'gitlab-ai-gateway'), {
        ...CHAT,
        match: 'any',
        rejectIssuers: ['gitlab-ai-gateway'],
      }),
    ).toThrow('Unauthorized to access duo chat');
  });
});
