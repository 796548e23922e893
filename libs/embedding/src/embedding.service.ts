import { LRUCache } from 'lru-cache';
import type { TextEmbedder } from './text-embedder';
import { normaliseText } from './text-normaliser';

/** How a text will be compared: a short query against long passages gets the model's retrieval instruction. */
export type TextRole = 'passage' | 'query';

/**
 * What the rest of the service calls to turn texts into vectors: normalises each text, adds the retrieval
 * instruction to queries when configured, and embeds. Every vector carries the id of the model that made it.
 */
export class EmbeddingService {
  /**
   * Vectors of recent queries: a search typed again (the next page, a refresh, the same words from another user)
   * costs a forward pass of the model each time otherwise, the largest part of a search (README, "Matching at
   * scale"). Shared by callers, who must not change them.
   */
  private readonly queries = new LRUCache<string, Float32Array>({ max: 1000 });

  /**
   * `queryEmbedder` embeds queries (a search's words, a lead's need): in the API, a pool of threads, so that a
   * forward pass never stops the event loop. Passages are embedded by `embedder`, in bulk, in the worker app.
   */
  constructor(
    private readonly embedder: TextEmbedder,
    private readonly queryInstruction: string,
    private readonly queryEmbedder: TextEmbedder = embedder,
  ) {}

  get modelId(): string {
    return this.embedder.model.id;
  }

  get dimension(): number {
    return this.embedder.dimension;
  }

  /** Starts the query threads and loads the model in each: the API does it before it listens. */
  async warmUp(): Promise<void> {
    await this.queryEmbedder.warmUp?.();
  }

  async embed(texts: readonly string[], role: TextRole = 'passage'): Promise<Float32Array[]> {
    if (role === 'passage') return this.embedder.embed(texts.map(normaliseText));
    return this.queryEmbedder.embed(texts.map((t) => this.queryInstruction + normaliseText(t)));
  }

  async embedOne(text: string, role: TextRole = 'passage'): Promise<Float32Array> {
    const cached = role === 'query' ? this.queries.get(text) : undefined;
    if (cached) return cached;
    const [vector] = await this.embed([text], role);
    if (role === 'query') this.queries.set(text, vector);
    return vector;
  }
}
