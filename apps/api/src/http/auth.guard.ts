import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeysService, UnauthenticatedError, type Actor } from '@app/access';
import { RateLimits } from './rate-limits';

const PUBLIC = 'isPublic';
/** Marks a route that needs no API key (health checks). */
export const Public = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = Request & { actor?: Actor; id?: string };

/**
 * Every route needs an API key (`Authorization: Bearer <key>` or `X-Api-Key`) unless marked @Public(), and every
 * request is counted against a budget: its key's, or its address's when it has no valid key (RateLimits). An address
 * over its budget is refused (429) for requests without a valid key, but a valid key is never refused for its
 * address's failures: many people work behind one office address, and one of them sending bad keys must not lock out
 * the others. A spent address's requests without a key, or with one that cannot be a key, cost no lookup.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = presentedKey(req);
    const address = req.ip ?? 'unknown';
    let actor = secret ? this.apiKeys.recentlyAuthenticated(secret) : undefined;
    if (!actor) {
      if (!secret || !KEY_SHAPE.test(secret)) await this.limits.refuseSpentAddress(address);
      actor = secret ? await this.apiKeys.authenticate(secret) : undefined;
      if (!actor) {
        await this.limits.consumeAddress(address);
        throw new UnauthenticatedError();
      }
    }
    await this.limits.consumeKey(actor.apiKeyId);
    req.actor = actor;
    return true;
  }
}

/** What ApiKeysService issues: `tt_`, 8 hex digits, `_`, 24 random bytes in base64url. Anything else is no key. */
const KEY_SHAPE = /^tt_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/;

/**
 * The key a request presents. Every credential header it sends must hold that key: an `Authorization` that is not
 * `Bearer <key>`, or two headers with different keys, present no key at all (401), rather than letting one header
 * pass while the other is ignored.
 */
function presentedKey(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  const fromBearer = bearer(authorization);
  const fromHeader = header(req.headers['x-api-key']);
  if (authorization !== undefined && fromBearer === undefined) return undefined;
  if (req.headers['x-api-key'] !== undefined && fromHeader === undefined) return undefined;
  if (fromBearer && fromHeader && fromBearer !== fromHeader) return undefined;
  return fromBearer ?? fromHeader;
}

function bearer(value: string | undefined): string | undefined {
  const match = value?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
