/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class CreditError extends Error {
  abstract readonly code: string;
}

export class CreditSubjectNotFoundError extends CreditError {
  readonly code = 'NOT_FOUND';
  constructor(kind: string, id: string) {
    super(`No ${kind} ${id}`);
  }
}

export class CreditReportNotFoundError extends CreditError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No credit report ${id}`);
  }
}
