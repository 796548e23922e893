/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class EmbeddingError extends Error {
  abstract readonly code: string;
}

export class EmptyTextError extends EmbeddingError {
  readonly code = 'EMBEDDING_EMPTY_TEXT';
  constructor() {
    super('Text to embed is empty or whitespace only');
  }
}

export class ModelNotFoundError extends EmbeddingError {
  readonly code = 'EMBEDDING_MODEL_NOT_FOUND';
  constructor(name: string, modelsDir: string) {
    super(`Embedding model "${name}" is not in ${modelsDir}/manifest.json`);
  }
}

export class ModelIntegrityError extends EmbeddingError {
  readonly code = 'EMBEDDING_MODEL_CORRUPT';
  constructor(file: string, expected: string, actual: string) {
    super(`Model file ${file} has sha256 ${actual}, manifest says ${expected} (a Git LFS pointer or a partial copy?)`);
  }
}

/** Every query-embedding thread is busy and the queue in front of them is full: try again shortly. */
export class EmbeddingBusyError extends EmbeddingError {
  readonly code = 'EMBEDDING_BUSY';
  readonly retryAfterSeconds = 1;
  constructor(queued: number) {
    super(`The query embedder is saturated (${queued} queries waiting); try again shortly`);
  }
}
