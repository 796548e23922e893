import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@app/access';
import type { AuthenticatedRequest } from './auth.guard';

/** The Actor the AuthGuard established for this request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().actor!;
});

/** The request id (X-Request-Id), to carry into the jobs a request causes. */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().id;
});
