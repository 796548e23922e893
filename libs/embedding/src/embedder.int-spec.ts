import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Embedder } from './embedder';
import { resolveModel } from './model-registry';

// Reference vectors computed independently in Python (tokenizers + onnxruntime on the same files, one sentence per
// forward pass) by scripts/reference-vectors.py.
interface Reference {
  sha256: string;
  rows: { text: string; tokens: number; vector: number[] }[];
}
const root = join(__dirname, '../../..');
const reference = JSON.parse(readFileSync(join(root, 'test/fixtures/reference-vectors.json'), 'utf8')) as Reference;

function maxAbsDifference(actual: Float32Array[], expected: number[][]): number {
  let max = 0;
  actual.forEach((v, i) => v.forEach((x, d) => (max = Math.max(max, Math.abs(x - expected[i][d])))));
  return max;
}

describe('Embedder (real model from models/)', () => {
  let sut: Embedder;

  beforeAll(async () => {
    const model = await resolveModel(join(root, 'models'), 'bge-small-zh-v1.5');
    expect(model.sha256).toBe(reference.sha256);
    sut = await Embedder.load(model, { batchSize: 1, threads: 0 });
  });
  afterAll(() => sut.dispose());

  it('tokenises like the HuggingFace tokenizers library, truncating at 512 tokens', () => {
    for (const row of reference.rows) {
      expect([row.text, sut.encode([row.text]).sequenceLength]).toEqual([row.text, row.tokens]);
    }
  });

  it('matches the Python reference within 1e-4 per dimension, one text per forward pass', async () => {
    const vectors = await sut.embed(reference.rows.map((r) => r.text));
    expect(
      maxAbsDifference(
        vectors,
        reference.rows.map((r) => r.vector),
      ),
    ).toBeLessThan(1e-4);
  });

  it('returns unit vectors of the model dimension, in input order', async () => {
    const texts = ['动力电池回收', 'Deep learning based defect detection for printed circuit boards'];
    const vectors = await sut.embed(texts);
    expect(vectors.map((v) => v.length)).toEqual([512, 512]);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    const [single] = await sut.embed([texts[1]]);
    expect(maxAbsDifference([single], [Array.from(vectors[1])])).toBe(0);
  });
});
