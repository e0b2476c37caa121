import { CallerIds, RequestContextStore } from '@app/common';
import { Identity } from './identity';

function loggable(identity: Identity): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    token_issuer: identity.issuer,
    auth_key_source: identity.keySource,
    auth_debug_user: identity.isDebug || undefined,
    gitlab_instance_id: identity.instanceId,
    gitlab_global_user_id: identity.globalUserId,
    gitlab_realm: identity.realm,
    gitlab_host_name: identity.hostName,
    gitlab_version: identity.gitlabVersion,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function callerOf(identity: Identity): CallerIds {
  const subject = identity.claims?.sub;
  return {
    user: identity.globalUserId || (typeof subject === 'string' && subject !== '' ? subject : undefined),
    instance: identity.instanceId || undefined,
  };
}

const reasonOf = (error: unknown) =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);

/**
 * Runs one authentication and adds its outcome to the request's log context (http-api.md §5.4 keys
 * `token_issuer`, `auth_duration_s`, `auth_error_details`): every later log line of the request carries it.
 */
export async function withAuthLogContext<T extends Identity | undefined>(authenticate: () => Promise<T>): Promise<T> {
  const context = RequestContextStore.current();
  const startedAt = process.hrtime.bigint();
  const duration = () => Number(process.hrtime.bigint() - startedAt) / 1e9;
  try {
    const identity = await authenticate();
    if (context && identity) {
      context.identity = { ...context.identity, ...loggable(identity), auth_duration_s: duration() };
      context.caller = callerOf(identity);
    }
    return identity;
  } catch (error) {
    if (context)
      context.identity = { ...context.identity, auth_duration_s: duration(), auth_error_details: reasonOf(error) };
    throw error;
  }
}
