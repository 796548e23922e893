import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Embedder } from './embedder';
import { EmbedderPool } from './embedder-pool';
import { EmbeddingBusyError } from './embedding.errors';
import { resolveModel, type ModelSpec } from './model-registry';

const root = join(__dirname, '../../..');
const texts = [
  '高效锂电池正极材料',
  '盾构机刀盘磨损监测',
  'Graphene coating for marine corrosion',
  '中藥提取物的質量控制',
];

describe('EmbedderPool (real model on worker threads)', () => {
  let model: ModelSpec;
  let inline: Embedder;
  let sut: EmbedderPool;

  beforeAll(async () => {
    model = await resolveModel(join(root, 'models'), 'bge-small-zh-v1.5');
    inline = await Embedder.load(model, { batchSize: 1, threads: 1 });
    sut = new EmbedderPool(model, { batchSize: 1, threads: 1, workers: 2, maxQueue: 8 });
    await sut.warmUp();
  });
  afterAll(async () => {
    await sut.dispose();
    await inline.dispose();
  });

  it('gives the vectors the model gives on the main thread', async () => {
    const [expected, actual] = [await inline.embed(texts), await sut.embed(texts)];
    actual.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(512);
      expect(Math.max(...v.map((x, d) => Math.abs(x - expected[i][d])))).toBeLessThan(1e-6);
    });
  });

  // onnxruntime-node 1.21.0 crashed with sessions on more than one thread (onnxruntime issue #24486).
  it('runs two sessions at once on two threads, and keeps the main thread free meanwhile', async () => {
    const results = await Promise.all(texts.flatMap((t) => [sut.embed([t]), sut.embed([t])]));
    results.forEach(([v], i) => expect(v).toEqual(results[i % 2 === 0 ? i + 1 : i - 1][0]));

    // How busy the main thread's event loop is while the same long passes run inline, then on the pool.
    const long = texts.map((t) => t.repeat(40));
    const busy = async (work: () => Promise<unknown>) => {
      const start = performance.eventLoopUtilization();
      await work();
      return performance.eventLoopUtilization(start).utilization;
    };
    const inlineBusy = await busy(() => Promise.all(long.map((t) => inline.embed([t]))));
    const pooledBusy = await busy(() => Promise.all(long.map((t) => sut.embed([t]))));
    expect(inlineBusy).toBeGreaterThan(0.8);
    expect(pooledBusy).toBeLessThan(0.3);
  });

  it('refuses a query with EmbeddingBusyError once the queue is full, and answers the others', async () => {
    const calls = Array.from({ length: 20 }, (_, i) =>
      sut.embed([`${texts[i % 4]} ${i}`]).then(
        () => 'ok',
        (e) => e,
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter((o) => o instanceof EmbeddingBusyError).length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o === 'ok' || o instanceof EmbeddingBusyError)).toBe(true);
  });

  // A thread stopped inside onnxruntime's synchronous load or run aborts the process, so this runs in a child: one
  // thread in a long forward pass, a second one started for a task and still loading its model, and the pool
  // disposed at once, a little later, and later still. It used to end in "terminate called after throwing an
  // instance of 'Napi::Error'" (exit 134).
  it('stops its threads only once no forward pass and no model load is under way in them', async () => {
    const script = `
      const { EmbedderPool } = require(${JSON.stringify(join(__dirname, 'embedder-pool.ts'))});
      const model = JSON.parse(process.argv[1]);
      (async () => {
        for (const delay of [0, 150, 300]) {
          const pool = new EmbedderPool(model, { batchSize: 8, threads: 1, workers: 2, maxQueue: 8 });
          await pool.embed(['一']);
          const long = pool.embed(Array.from({ length: 8 }, () => '高效锂电池正极材料'.repeat(50)));
          const short = pool.embed(['二']);
          await new Promise((resolve) => setTimeout(resolve, delay));
          const closed = pool.dispose();
          const refused = await pool.embed(['三']).then(() => 'accepted', (e) => e.code);
          await closed;
          console.log(JSON.stringify({ long: (await long).length, short: (await short).length, refused }));
        }
      })();`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script, JSON.stringify(model)],
      { cwd: root, timeout: 60_000 },
    );
    const rounds = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rounds).toEqual(Array(3).fill({ long: 8, short: 1, refused: 'EMBEDDING_BUSY' }));
  });
});
