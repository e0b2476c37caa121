export * from './auth-options';
export * from './auth.module';
export * from './http-authenticator';
export * from './identity';
export * from './token-verifier';
export * from './unit-primitives';
