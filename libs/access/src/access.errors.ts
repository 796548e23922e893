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

export class OrganisationNotFoundError extends AccessError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No organisation ${id}`);
  }
}

/** A key's role must fit its organisation (an enterprise key for an enterprise, not for a university). */
export class RoleOrganisationMismatchError extends AccessError {
  readonly code = 'ORGANISATION_KIND_MISMATCH';
  constructor(role: string, organisationKind: string) {
    super(`A ${role} key cannot be bound to an organisation of kind ${organisationKind}`);
  }
}
