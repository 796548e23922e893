/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class MatchingError extends Error {
  abstract readonly code: string;
}

export class NotEmbeddedYetError extends MatchingError {
  readonly code = 'EMBEDDING_PENDING';
  constructor(kind: string, id: string) {
    super(`The ${kind} ${id} has no vector yet (its embedding is queued); retry in a few seconds`);
  }
}

export class IndexNotReadyError extends MatchingError {
  readonly code = 'INDEX_NOT_READY';
  constructor() {
    super('The search index is still loading; retry in a few seconds');
  }
}
