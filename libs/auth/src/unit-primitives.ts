import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCode } from '@app/common';
import { Identity } from './identity';

/** What a route needs: every primitive listed (or one of them), from an issuer not listed in `rejectIssuers`. */
export interface ScopeRequirement {
  primitives: string[];
  /** `any`: one of `primitives` suffices (e.g. `duo_classic_chat` or the older `duo_chat`). Default `all`. */
  match?: 'all' | 'any';
  /** The exact 403 message of http-api.md §1.5. */
  message: string;
  /** e.g. `['gitlab-ai-gateway']`: "UJWT rejected". */
  rejectIssuers?: string[];
}

const SCOPE_REQUIREMENT = Symbol('SCOPE_REQUIREMENT');

/** `can(up, disallowed_issuers)` of http-api.md §1.1. */
export function can(identity: Identity | undefined, primitive: string, rejectIssuers: readonly string[] = []): boolean {
  if (!identity) return false;
  if (identity.isDebug) return true;
  if (identity.issuer !== undefined && rejectIssuers.includes(identity.issuer)) return false;
  return identity.scopes.includes(primitive);
}

/** Throws the 403 / PERMISSION_DENIED AppError unless the requirement's primitives are granted. */
export function assertCan(identity: Identity | undefined, requirement: ScopeRequirement): void {
  const granted = (primitive: string) => can(identity, primitive, requirement.rejectIssuers);
  const { primitives, match = 'all' } = requirement;
  if (match === 'any' ? !primitives.some(granted) : !primitives.every(granted)) {
    throw new AppError(ErrorCode.PermissionDenied, requirement.message);
  }
}

/** Route decorator: the unit primitives a route needs (checked by {@link ScopeGuard}). */
export const RequireScope = (requirement: ScopeRequirement) => SetMetadata(SCOPE_REQUIREMENT, requirement);

/** The authenticated caller of an HTTP handler (set by the authentication hook). */
export const CurrentIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Identity | undefined =>
    context.switchToHttp().getRequest<{ identity?: Identity }>().identity,
);

/** Global HTTP guard enforcing {@link RequireScope}. */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const requirement = this.reflector.get<ScopeRequirement | undefined>(SCOPE_REQUIREMENT, context.getHandler());
    if (!requirement) return true;
    assertCan(context.switchToHttp().getRequest<{ identity?: Identity }>().identity, requirement);
    return true;
  }
}
