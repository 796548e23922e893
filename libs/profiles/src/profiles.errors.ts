/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class ProfileError extends Error {
  abstract readonly code: string;
}

export class ProfileNotFoundError extends ProfileError {
  readonly code = 'NOT_FOUND';
  constructor(kind: string, id: string) {
    super(`No ${kind} ${id}, or not one this API key may see`);
  }
}

export class OrganisationRequiredError extends ProfileError {
  readonly code = 'ORGANISATION_REQUIRED';
  constructor() {
    super('organisationId is required when an admin key creates a profile');
  }
}

export class OrganisationKindMismatchError extends ProfileError {
  readonly code = 'ORGANISATION_KIND_MISMATCH';
  constructor(kind: string, organisationKind: string) {
    super(`A ${kind} cannot belong to an organisation of kind ${organisationKind}`);
  }
}

/** The record would break a rule that spans fields (e.g. a PATCH leaving budgetMin above the stored budgetMax). */
export class InvalidProfileError extends ProfileError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly details: { field: string; problems: string[] }[]) {
    super(`Invalid ${details.map((d) => d.field).join(', ')}`);
  }
}

/** Another record of the organisation already has this externalId. */
export class ExternalIdTakenError extends ProfileError {
  readonly code = 'EXTERNAL_ID_TAKEN';
  constructor(kind: string, externalId: string) {
    super(`This organisation already has a ${kind} with externalId ${externalId}`);
  }
}

/**
 * Turns what PostgreSQL refuses of a profile write into domain errors: the unique violation of an external id, and
 * a reference to a record that does not exist (a programmeId that is no programme); anything else is rethrown.
 */
export function rethrowProfileWriteError(e: unknown, kind: string, values: Record<string, unknown>): never {
  const pg = e as { code?: string; constraint?: string };
  if (pg.code === '23505' && pg.constraint?.endsWith('_external_id')) {
    throw new ExternalIdTakenError(kind, String(values.externalId));
  }
  if (pg.code === '23503' && pg.constraint?.includes('programme_id')) {
    throw new InvalidProfileError([{ field: 'programmeId', problems: ['programmeId must be an existing programme'] }]);
  }
  throw e;
}

/** Another organisation already has this unified social credit code. */
export class CreditCodeTakenError extends ProfileError {
  readonly code = 'CREDIT_CODE_TAKEN';
  constructor(creditCode: string) {
    super(`Another organisation already has the credit code ${creditCode}`);
  }
}

/** Turns PostgreSQL's unique violation of a credit code into its domain error; anything else is rethrown. */
export function rethrowCreditCodeTaken(e: unknown, creditCode: unknown): never {
  const pg = e as { code?: string; constraint?: string };
  if (pg.code === '23505' && pg.constraint?.includes('credit_code')) throw new CreditCodeTakenError(String(creditCode));
  throw e;
}
