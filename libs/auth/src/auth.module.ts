import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AudienceProfile, gatewayProfile, workflowProfile } from './audience-profile';
import { AUTH_OPTIONS, AuthOptions } from './auth-options';
import { BypassWarnings } from './bypass-warnings';
import { Clock } from './clock';
import { GrpcAuthenticator } from './grpc-authenticator';
import { HttpAuthenticator } from './http-authenticator';
import { IdentityFactory } from './identity-factory';
import { KeyReadiness, READINESS_SINK, ReadinessSink } from './key-readiness';
import { KeySet, selfSignedKeys } from './key-set';
import { OidcKeyFetcher } from './oidc-key-fetcher';
import { OidcKeySources } from './oidc-key-sources';
import { GATEWAY_VERIFIER, TokenVerifier, WORKFLOW_VERIFIER } from './token-verifier';
import { ScopeGuard } from './unit-primitives';
import { UserAccessTokenIssuer } from './user-access-token-issuer';
import { WorkflowTokenIssuer } from './workflow-token-issuer';

export interface AuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: unknown[];
  useFactory: (...deps: never[]) => AuthOptions;
  /** The app's readiness registry, which gets the key-source check. */
  readiness: Type<ReadinessSink>;
}

const verifierFor = (provide: symbol, profileOf: (options: AuthOptions) => AudienceProfile) => ({
  provide,
  inject: [AUTH_OPTIONS, OidcKeySources, IdentityFactory, Clock],
  useFactory: (options: AuthOptions, sources: OidcKeySources, identities: IdentityFactory, clock: Clock) => {
    const profile = profileOf(options);
    const keys = new KeySet(selfSignedKeys(profile), sources.for(profile.oidcOrigins));
    return new TokenVerifier(profile, keys, identities, clock);
  },
});

@Module({})
export class AuthModule {
  static registerAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: options.imports ?? [],
      providers: [
        { provide: AUTH_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        { provide: READINESS_SINK, useExisting: options.readiness },
        Clock,
        OidcKeyFetcher,
        OidcKeySources,
        IdentityFactory,
        verifierFor(GATEWAY_VERIFIER, gatewayProfile),
        verifierFor(WORKFLOW_VERIFIER, workflowProfile),
        HttpAuthenticator,
        GrpcAuthenticator,
        UserAccessTokenIssuer,
        WorkflowTokenIssuer,
        KeyReadiness,
        BypassWarnings,
        { provide: APP_GUARD, useClass: ScopeGuard },
      ],
      exports: [HttpAuthenticator, GrpcAuthenticator, UserAccessTokenIssuer, WorkflowTokenIssuer],
    };
  }
}
