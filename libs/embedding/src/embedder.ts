import { l2Normalise } from './vectors';
import {
  AutoModel,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { TextEmbedder } from './text-embedder';
import type { ModelSpec } from './model-registry';

/** Token ids of one batch, as the tokenizer made them; exposed so that benchmarks can feed a raw session the same. */
export interface EncodedBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  batchSize: number;
  sequenceLength: number;
}

export interface EmbedderOptions {
  /** Texts per forward pass. */
  batchSize: number;
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose. */
  threads: number;
}

/**
 * The model under Transformers.js: tokenizer (truncating at the model's token limit, so a long document keeps its
 * head: callers put the title and abstract first), forward pass, CLS pooling, L2 normalisation. Texts are embedded
 * as given; normalisation of the text is the caller's (see EmbeddingService).
 */
export class Embedder implements TextEmbedder {
  private constructor(
    readonly model: ModelSpec,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly network: PreTrainedModel,
    private readonly options: EmbedderOptions,
  ) {}

  static async load(model: ModelSpec, options: EmbedderOptions): Promise<Embedder> {
    // Never reach for a model hub: the weights are in models/ and the machines have no internet.
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.localModelPath = model.modelsDir.endsWith('/') ? model.modelsDir : `${model.modelsDir}/`;
    const tokenizer = await AutoTokenizer.from_pretrained(model.name, { local_files_only: true });
    const network = await AutoModel.from_pretrained(model.name, {
      local_files_only: true,
      dtype: model.dtype,
      device: 'cpu',
      session_options: options.threads > 0 ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {},
    });
    return new Embedder(model, tokenizer, network, options);
  }

  get dimension(): number {
    return this.model.dimension;
  }

  /** One unit-length vector per text, in input order. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    for (const indices of this.planBatches(texts)) {
      const vectors = await this.forward(this.encode(indices.map((i) => texts[i])));
      indices.forEach((textIndex, row) => (out[textIndex] = vectors[row]));
    }
    return out;
  }

  /** Splits texts into batches of indices; texts of similar length go together, to waste less on padding. */
  planBatches(texts: readonly string[]): number[][] {
    const order = texts.map((_, i) => i).sort((a, b) => texts[b].length - texts[a].length);
    const batches: number[][] = [];
    for (let start = 0; start < order.length; start += this.options.batchSize) {
      batches.push(order.slice(start, start + this.options.batchSize));
    }
    return batches;
  }

  /** Tokenises one batch (padding to its longest text, truncating at the model's limit). */
  encode(texts: readonly string[]): EncodedBatch {
    const encoded = this.tokenizer([...texts], {
      padding: true,
      truncation: true,
      max_length: this.model.maxTokens,
      return_token_type_ids: true,
    }) as Record<'input_ids' | 'attention_mask' | 'token_type_ids', { data: BigInt64Array; dims: number[] }>;
    const [batchSize, sequenceLength] = encoded.input_ids.dims;
    if (sequenceLength === this.model.maxTokens) this.endTruncatedRowsWithSeparator(encoded, batchSize);
    return {
      inputIds: encoded.input_ids.data,
      attentionMask: encoded.attention_mask.data,
      tokenTypeIds: encoded.token_type_ids.data,
      batchSize,
      sequenceLength,
    };
  }

  /**
   * Transformers.js truncates after adding the special tokens and so drops the closing [SEP] of a text longer than
   * the limit; the model (and the HuggingFace tokenizers library) expect [CLS] + 510 tokens + [SEP]. Measured: the
   * vector of a 600-token text was off by 1e-2 per dimension before this fix, 1e-7 after.
   */
  private endTruncatedRowsWithSeparator(
    encoded: Record<'input_ids' | 'attention_mask', { data: BigInt64Array }>,
    batchSize: number,
  ): void {
    const sep = BigInt(this.tokenizer.sep_token_id);
    const last = this.model.maxTokens - 1;
    for (let row = 0; row < batchSize; row++) {
      const i = row * this.model.maxTokens + last;
      if (encoded.attention_mask.data[i] === 1n) encoded.input_ids.data[i] = sep;
    }
  }

  /** Runs the network on an encoded batch and pools each row's [CLS] state into a unit vector. */
  async forward(batch: EncodedBatch): Promise<Float32Array[]> {
    const dims = [batch.batchSize, batch.sequenceLength];
    const outputs = (await this.network({
      input_ids: new Tensor('int64', batch.inputIds, dims),
      attention_mask: new Tensor('int64', batch.attentionMask, dims),
      token_type_ids: new Tensor('int64', batch.tokenTypeIds, dims),
    })) as { last_hidden_state: { data: Float32Array; dims: number[]; dispose(): void } };
    const hidden = outputs.last_hidden_state;
    const [, seq, width] = hidden.dims;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < batch.batchSize; row++) {
      vectors.push(l2Normalise(hidden.data.slice(row * seq * width, row * seq * width + width)));
    }
    hidden.dispose();
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.network.dispose();
  }
}
