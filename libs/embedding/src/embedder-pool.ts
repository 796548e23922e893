import { extname, join } from 'node:path';
import { Piscina } from 'piscina';
import type { EmbedderOptions } from './embedder';
import { EmbeddingBusyError } from './embedding.errors';
import type { ModelSpec } from './model-registry';
import type { TextEmbedder } from './text-embedder';

export interface EmbedderPoolOptions extends EmbedderOptions {
  /** Threads, each with its own onnxruntime session. */
  workers: number;
  /** Tasks waiting for a thread before a new one is refused with EmbeddingBusyError. */
  maxQueue: number;
}

/**
 * The model on worker threads, for the API's queries: onnxruntime-node's `session.run` is synchronous under its
 * promise, so a forward pass on the main thread stops every other request for its whole length. Each thread has
 * its own session with `threads` intra-op threads (the caller keeps workers x intra-op threads within the cores).
 * Threads start on the first task (or `warmUp`) and then stay.
 */
export class EmbedderPool implements TextEmbedder {
  private readonly pool: Piscina<string[], Float32Array[]>;

  constructor(
    readonly model: ModelSpec,
    private readonly options: EmbedderPoolOptions,
  ) {
    // From sources (tests, ts-node) the thread loads the TypeScript file through ts-node; from dist/ the compiled one.
    const source = extname(__filename) === '.ts';
    this.pool = new Piscina({
      filename: join(__dirname, `embedder.worker${extname(__filename)}`),
      workerData: {
        model,
        options: { batchSize: options.batchSize, threads: options.threads } satisfies EmbedderOptions,
      },
      minThreads: 0,
      maxThreads: options.workers,
      idleTimeout: 2 ** 31 - 1, // the longest timer Node takes: threads stay
      maxQueue: options.maxQueue,
      execArgv: source ? ['-r', 'ts-node/register/transpile-only'] : [],
    });
  }

  get dimension(): number {
    return this.model.dimension;
  }

  /** Starts every thread and loads the model in each, so that the first queries do not pay for it. */
  async warmUp(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.workers }, () => this.embed(['预热'])));
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.pool.queueSize >= this.options.maxQueue) throw new EmbeddingBusyError(this.pool.queueSize);
    return this.pool.run([...texts]);
  }

  /**
   * Lets the texts in flight finish, then stops the threads: a thread torn down inside a forward pass aborts the
   * whole process (onnxruntime's native callback throws into an environment that is gone: "terminate called after
   * throwing an instance of 'Napi::Error'").
   */
  async dispose(): Promise<void> {
    await this.pool.close();
  }
}
