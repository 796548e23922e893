import { extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** Threads whose model is loaded (piscina reports a thread once its promised handler has resolved). */
  private readonly loaded = new Set<unknown>();
  /** Tasks given to piscina and not yet settled, queued or running. */
  private readonly pending = new Set<Promise<unknown>>();
  private closing = false;

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
    this.pool.on('workerCreate', (thread) => this.loaded.add(thread));
    this.pool.on('workerDestroy', (thread) => this.loaded.delete(thread));
  }

  get dimension(): number {
    return this.model.dimension;
  }

  /** Starts every thread and loads the model in each, so that the first queries do not pay for it. */
  async warmUp(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.workers }, () => this.embed(['预热'])));
    await this.threadsLoaded();
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.closing || this.pool.queueSize >= this.options.maxQueue) throw new EmbeddingBusyError(this.pool.queueSize);
    const task = this.pool.run([...texts]);
    this.pending.add(task);
    return task.finally(() => this.pending.delete(task));
  }

  /**
   * Refuses new texts (EmbeddingBusyError: another process may take them), lets those given to the threads finish
   * and every thread still loading its model finish loading, then stops the threads. onnxruntime's load and run are
   * synchronous native calls, and a thread stopped inside one aborts the whole process ("terminate called after
   * throwing an instance of 'Napi::Error'"). Piscina's own close is not enough: it counts a thread as idle once per
   * listener it registers, so with two threads it stopped one in a forward pass as soon as the other was idle
   * (piscina 5.3), and it never waits for a thread started for a task that another thread took, which is still
   * loading its model.
   */
  async dispose(): Promise<void> {
    this.closing = true;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.threadsLoaded();
    await this.pool.destroy();
  }

  private async threadsLoaded(): Promise<void> {
    while (this.loaded.size < this.pool.threads.length) await sleep(10);
  }
}
