/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class LearningError extends Error {
  abstract readonly code: string;
}

export class WeightVersionNotFoundError extends LearningError {
  readonly code = 'NOT_FOUND';
  constructor(id: number) {
    super(`No weight version ${id}`);
  }
}
