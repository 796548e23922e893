import { createHash } from 'node:crypto';
import {
  ConflictException,
  Inject,
  Injectable,
  SetMetadata,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IdempotencyRepository } from '@app/persistence';
import type { AuthenticatedRequest } from './auth.guard';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const SECRET_FIELDS = 'secretFields';
/**
 * Marks the top-level fields of a route's answer that hold a secret shown once (an API key, a webhook's signing
 * secret): the answer stored for retries has them replaced by null, so no secret rests in clear in the database and
 * a retry never shows it again (it answers the same id, without the secret).
 */
export const SecretFields = (...fields: string[]) => SetMetadata(SECRET_FIELDS, fields);

/**
 * `Idempotency-Key` on a write: the first request runs and its answer is stored; a retry with the same key and the
 * same request gets the stored answer and changes nothing; the same key with another request is a 422. Keys expire
 * after IDEMPOTENCY_TTL_HOURS (24 h).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = req.headers['idempotency-key'];
    if (!WRITES.has(req.method) || typeof key !== 'string' || !req.actor) return next.handle();
    if (key.length < 1 || key.length > 200) {
      throw new UnprocessableEntityException({
        error: 'IDEMPOTENCY_KEY_INVALID',
        message: 'Idempotency-Key must have 1 to 200 characters',
      });
    }
    const secrets = this.reflector.get<string[] | undefined>(SECRET_FIELDS, context.getHandler()) ?? [];
    return from(this.run(req, key, context.switchToHttp().getResponse<Response>(), next, secrets));
  }

  private async run(
    req: AuthenticatedRequest,
    key: string,
    res: Response,
    next: CallHandler,
    secrets: string[],
  ): Promise<unknown> {
    const apiKeyId = req.actor!.apiKeyId;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const claim = await this.keys.claim(apiKeyId, key, requestHash, this.config.http.idempotencyTtlHours);
    if (claim.kind === 'mismatch') {
      throw new UnprocessableEntityException({
        error: 'IDEMPOTENCY_KEY_REUSED',
        message: 'This Idempotency-Key was used for a different request',
      });
    }
    if (claim.kind === 'in-progress') {
      throw new ConflictException({
        error: 'IDEMPOTENCY_IN_PROGRESS',
        message: 'A request with this Idempotency-Key is still running',
      });
    }
    if (claim.kind === 'replay') {
      res.status(claim.statusCode).setHeader('Idempotent-Replayed', 'true');
      return claim.response;
    }
    try {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.keys.complete(apiKeyId, key, res.statusCode, withoutSecrets(body, secrets));
      return body;
    } catch (e) {
      await this.keys.release(apiKeyId, key);
      throw e;
    }
  }
}

function withoutSecrets(body: unknown, fields: string[]): unknown {
  if (fields.length === 0 || body === null || typeof body !== 'object') return body;
  return { ...body, ...Object.fromEntries(fields.map((f) => [f, null])) };
}
