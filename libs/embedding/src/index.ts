// Owns turning text into vectors: text normalisation, the local model (models/, never a hub), CLS pooling and the
// model id recorded with every vector. It must not store vectors or know about profiles; callers decide what to embed.
export { Embedder, type EncodedBatch, type EmbedderOptions } from './embedder';
export { EmbedderPool, type EmbedderPoolOptions } from './embedder-pool';
export type { TextEmbedder } from './text-embedder';
export { EmbeddingModule } from './embedding.module';
export { EmbeddingService, type TextRole } from './embedding.service';
export {
  EmbeddingBusyError,
  EmbeddingError,
  EmptyTextError,
  ModelIntegrityError,
  ModelNotFoundError,
} from './embedding.errors';
export { resolveModel, type ModelSpec } from './model-registry';
export { normaliseText } from './text-normaliser';
export { dot, l2Normalise, normalised, vectorFromBytes, vectorToBytes } from './vectors';
