import type { ModelSpec } from './model-registry';

/** What embeds texts: the model on the calling thread (Embedder) or on a pool of threads (EmbedderPool). */
export interface TextEmbedder {
  readonly model: ModelSpec;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Loads what the first call would otherwise wait for. */
  warmUp?(): Promise<void>;
  dispose(): Promise<void>;
}
