import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { EmbeddingBusyError } from '@app/embedding';
import { RateLimitedError } from './rate-limits';

/** A domain error: any error with a stable string `code`. */
interface CodedError extends Error {
  code: string;
}

/**
 * Domain error codes and the HTTP status each maps to; the one place where domain errors meet HTTP. Every code a lib
 * declares must be here (error.filter.spec.ts reads them from the source): a missing one would be an anonymous 500.
 */
export const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_CURSOR: HttpStatus.BAD_REQUEST,
  ORGANISATION_REQUIRED: HttpStatus.BAD_REQUEST,
  INVALID_API_KEY_REQUEST: HttpStatus.BAD_REQUEST,
  ORGANISATION_KIND_MISMATCH: HttpStatus.UNPROCESSABLE_ENTITY,
  EMBEDDING_EMPTY_TEXT: HttpStatus.UNPROCESSABLE_ENTITY,
  EMBEDDING_PENDING: HttpStatus.CONFLICT,
  INDEX_NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
  INVALID_TRANSITION: HttpStatus.CONFLICT,
  BROKER_UNAVAILABLE: HttpStatus.CONFLICT,
  SAME_ORGANISATION: HttpStatus.UNPROCESSABLE_ENTITY,
  SUBSIDY_RULE_EXISTS: HttpStatus.CONFLICT,
  EXTERNAL_ID_TAKEN: HttpStatus.CONFLICT,
  CREDIT_CODE_TAKEN: HttpStatus.CONFLICT,
  CHALLENGE_NOT_EDITABLE: HttpStatus.CONFLICT,
  REASON_REQUIRED: HttpStatus.BAD_REQUEST,
  UNKNOWN_JUDGE: HttpStatus.UNPROCESSABLE_ENTITY,
  PROPOSAL_EXISTS: HttpStatus.CONFLICT,
  NOT_ELIGIBLE: HttpStatus.FORBIDDEN,
  TERMS_NOT_ACCEPTED: HttpStatus.FORBIDDEN,
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  WEBHOOK_ADDRESS_NOT_ALLOWED: HttpStatus.BAD_REQUEST,
  BODY_TOO_DEEP: HttpStatus.BAD_REQUEST,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  INDEX_BEHIND: HttpStatus.SERVICE_UNAVAILABLE,
  EMBEDDING_BUSY: HttpStatus.SERVICE_UNAVAILABLE,
  // The model files are missing or damaged: the service is broken, not the request.
  EMBEDDING_MODEL_NOT_FOUND: HttpStatus.INTERNAL_SERVER_ERROR,
  EMBEDDING_MODEL_CORRUPT: HttpStatus.INTERNAL_SERVER_ERROR,
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems, for validation errors. */
  details?: { field: string; problems: string[] }[];
  /** For a refused lead transition: the states the lead may move to. */
  allowed?: string[];
  requestId?: string;
}

/**
 * Every error leaves the API as an ErrorBody. HttpExceptions keep their status; coded domain errors are mapped by
 * code; anything else is logged and answered with a 500 that says nothing of the internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res: unknown = http.getResponse();
    const req = http.getRequest<{ id?: string }>();
    const { httpAdapter } = this.adapterHost;
    const body = this.toBody(exception);
    body.requestId = req.id;
    if (body.statusCode >= 500 && !(exception instanceof HttpException))
      this.logger.error({ err: exception }, 'unhandled error');
    if (exception instanceof RateLimitedError || exception instanceof EmbeddingBusyError)
      httpAdapter.setHeader(res, 'Retry-After', String(exception.retryAfterSeconds));
    httpAdapter.reply(res, body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'string')
        return { statusCode: status, error: HttpStatus[status] ?? 'ERROR', message: response };
      const r = response as { error?: unknown; message?: unknown; details?: unknown };
      // Terminus' readiness report is passed through as it is.
      if (r.details && !Array.isArray(r.details)) return { statusCode: status, ...response } as ErrorBody;
      return {
        statusCode: status,
        error: typeof r.error === 'string' && /^[A-Z_]+$/.test(r.error) ? r.error : (HttpStatus[status] ?? 'ERROR'),
        message: messageOf(r, exception.message),
        ...(Array.isArray(r.details) ? { details: r.details as ErrorBody['details'] } : {}),
      };
    }
    if (isClientHttpError(exception)) {
      // Errors of the body parser (http-errors): too large, malformed JSON, bad encoding.
      return {
        statusCode: exception.status,
        error: HttpStatus[exception.status] ?? 'ERROR',
        message: exception.message,
      };
    }
    if (isCoded(exception) && exception.code in STATUS_BY_CODE) {
      const status = STATUS_BY_CODE[exception.code];
      const { allowed, details } = exception as { allowed?: unknown; details?: unknown };
      return {
        statusCode: status,
        error: exception.code,
        message: exception.message,
        ...(Array.isArray(details) ? { details: details as ErrorBody['details'] } : {}),
        ...(Array.isArray(allowed) ? { allowed: allowed as string[] } : {}),
      };
    }
    return { statusCode: 500, error: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
  }
}

/** Nest puts a string or, for some built-in exceptions, a list of strings in `message`. */
function messageOf(response: object, fallback: string): string {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

function isClientHttpError(e: unknown): e is Error & { status: number } {
  const status = (e as { status?: unknown }).status;
  return (
    e instanceof Error && (e as { expose?: unknown }).expose === true && typeof status === 'number' && status < 500
  );
}

function isCoded(e: unknown): e is CodedError {
  return e instanceof Error && typeof (e as Partial<CodedError>).code === 'string';
}
