/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class AccessError extends Error {
  abstract readonly code: string;
}

export class UnauthenticatedError extends AccessError {
  readonly code = 'UNAUTHENTICATED';
  constructor() {
    super('A valid API key is required (header "Authorization: Bearer <key>" or "X-Api-Key")');
  }
}

export class ForbiddenError extends AccessError {
  readonly code = 'FORBIDDEN';
  constructor(what: string) {
    super(`This API key may not ${what}`);
  }
}

export class InvalidApiKeyRequestError extends AccessError {
  readonly code = 'INVALID_API_KEY_REQUEST';
}
