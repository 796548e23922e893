import type { Embedder } from './embedder';
import { normaliseText } from './text-normaliser';

/** How a text will be compared: a short query against long passages gets the model's retrieval instruction. */
export type TextRole = 'passage' | 'query';

/**
 * What the rest of the service calls to turn texts into vectors: normalises each text, adds the retrieval
 * instruction to queries when configured, and embeds. Every vector carries the id of the model that made it.
 */
export class EmbeddingService {
  constructor(
    private readonly embedder: Embedder,
    private readonly queryInstruction: string,
  ) {}

  get modelId(): string {
    return this.embedder.model.id;
  }

  get dimension(): number {
    return this.embedder.dimension;
  }

  async embed(texts: readonly string[], role: TextRole = 'passage'): Promise<Float32Array[]> {
    const prefix = role === 'query' ? this.queryInstruction : '';
    return this.embedder.embed(texts.map((t) => prefix + normaliseText(t)));
  }

  async embedOne(text: string, role: TextRole = 'passage'): Promise<Float32Array> {
    const [vector] = await this.embed([text], role);
    return vector;
  }
}
