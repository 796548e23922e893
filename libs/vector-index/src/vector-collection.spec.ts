import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearlyMany, sampleShare, VectorCollection } from './vector-collection';

interface Meta {
  region: string;
}

/** Deterministic pseudo-random unit vectors around a few centres, like embeddings of a few topics. */
function clustered(n: number, dim: number, seed = 1): Float32Array[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: dim }, rand));
  return Array.from({ length: n }, (_, i) => Float32Array.from(centres[i % 8], (c) => c + 0.6 * rand()));
}

describe('VectorCollection', () => {
  const dim = 32;
  const vectors = clustered(3000, dim);
  const build = (capacity = 16, region: (i: number) => string = (i) => (i % 100 === 0 ? 'rare' : 'common')) => {
    const sut = new VectorCollection<Meta>(
      dim,
      { m: 16, efConstruction: 100, efSearch: 64, exactScanBelow: 200 },
      capacity,
    );
    vectors.forEach((v, i) => sut.upsert(`id-${i}`, v, { region: region(i) }));
    return sut;
  };

  it('grows past its initial capacity and finds a stored vector first', () => {
    const sut = build(16);
    expect(sut.size).toBe(3000);
    const { hits, plan } = sut.search(vectors[1234], 5);
    expect(plan).toBe('hnsw');
    expect(hits[0].id).toBe('id-1234');
    expect(hits[0].similarity).toBeCloseTo(1, 5);
  });

  it('agrees with exact search on nearly all of the top 10', () => {
    const sut = build();
    let found = 0;
    for (let q = 0; q < 50; q++) {
      const exact = new Set(sut.exactSearch(vectors[q * 7], 10).map((h) => h.id));
      found += sut.search(vectors[q * 7], 10).hits.filter((h) => exact.has(h.id)).length;
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.95);
  });

  it('never returns a deleted record, and brings it back when it is added again', () => {
    const sut = build();
    sut.remove('id-1234');
    expect(sut.search(vectors[1234], 10).hits.map((h) => h.id)).not.toContain('id-1234');
    expect(sut.size).toBe(2999);
    sut.upsert('id-1234', vectors[1234], { region: 'common' });
    expect(sut.search(vectors[1234], 1).hits[0].id).toBe('id-1234');
  });

  it('scans the few eligible records exactly, and returns k of them when k exist', () => {
    const sut = build();
    const result = sut.search(vectors[5], 10, (m) => m.region === 'rare');
    expect(result.plan).toBe('exact');
    expect(result.eligible).toBe(30);
    expect(result.hits).toHaveLength(10);
    expect(result.hits.every((h) => h.meta.region === 'rare')).toBe(true);
    expect(result.hits.map((h) => h.id)).toEqual(
      sut.exactSearch(vectors[5], 10, (m) => m.region === 'rare').map((h) => h.id),
    );
  });

  it('walks the graph with the filter when many records are eligible', () => {
    const sut = build(16, (i) => (i % 2 === 0 ? 'east' : 'west'));
    const result = sut.search(vectors[5], 10, (m) => m.region === 'west');
    expect(result.plan).toBe('filtered-hnsw');
    expect(result.hits).toHaveLength(10);
    expect(result.hits.every((h) => h.meta.region === 'west')).toBe(true);
  });

  it('walks without the filter and filters the results when nearly every record is eligible', () => {
    const sut = build();
    let found = 0;
    for (let q = 0; q < 50; q++) {
      // Every hundredth vector is rare: when the query is one (vectors[0], [300], ...), its nearest hit is dropped.
      const query = vectors[q * 60];
      const result = sut.search(query, 10, (m) => m.region === 'common');
      expect(result.plan).toBe('post-filtered-hnsw');
      expect(result.hits).toHaveLength(10);
      expect(result.hits.every((h) => h.meta.region === 'common')).toBe(true);
      const exact = new Set(sut.exactSearch(query, 10, (m) => m.region === 'common').map((h) => h.id));
      found += result.hits.filter((h) => exact.has(h.id)).length;
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.95);
  });

  it('restores a snapshot with its ids, metadata, deletions and state', async () => {
    const sut = build();
    sut.remove('id-7');
    const dir = mkdtempSync(join(tmpdir(), 'vector-collection-'));
    await sut.snapshot(dir, { watermark: '2026-11-24T00:00:00Z' });

    const restored = new VectorCollection<Meta>(dim);
    expect(await restored.load(dir)).toEqual({ watermark: '2026-11-24T00:00:00Z' });
    expect(restored.size).toBe(2999);
    expect(restored.has('id-7')).toBe(false);
    expect(restored.metaOf('id-100')).toEqual({ region: 'rare' });
    expect(restored.search(vectors[42], 1).hits[0].id).toBe('id-42');
    restored.upsert('new', vectors[0], { region: 'common' });
    expect(restored.size).toBe(3000);
  });

  it('loads nothing from an empty folder', async () => {
    const sut = new VectorCollection<Meta>(dim);
    expect(await sut.load(mkdtempSync(join(tmpdir(), 'empty-')))).toBeUndefined();
  });
});

describe('sampleShare (planning a filtered search)', () => {
  it('stops after 100 labels when the share is clearly too large for an exact scan', () => {
    expect(sampleShare(100_000, () => true, 0.16)).toEqual({ share: 1, asked: 100 });
  });

  it('reads the whole sample when the share may be small', () => {
    const { share, asked } = sampleShare(100_000, (label) => label % 5_000 === 0, 0.16);
    expect(asked).toBe(1000);
    expect(share).toBeCloseTo(0.02, 2);
  });

  it('visits labels from the whole range even when it stops early', () => {
    // Only the last tenth of the labels pass: a sample that stopped at the first 100 labels in order would see none.
    const visited = new Set<number>();
    const { share, asked } = sampleShare(100_000, (label) => (visited.add(label), label >= 90_000), 0.05);
    expect(asked).toBe(100);
    expect(share).toBeCloseTo(0.1, 1);
    expect(Math.min(...visited)).toBeLessThan(1_000);
    expect(Math.max(...visited)).toBeGreaterThan(99_000);
    expect(visited.size).toBe(100);
  });

  it('stops early in a catalogue of 10,000 too (exact scans below 2,000), where four times the exact share is over 1', () => {
    expect(clearlyMany(100_000, 2_000)).toBeCloseTo(0.16);
    expect(clearlyMany(10_000, 2_000)).toBe(0.9);
    expect(sampleShare(10_000, () => true, clearlyMany(10_000, 2_000)).asked).toBe(100);
    // Too small to tell 0.9 from an exact scan's share with 100 labels: the whole sample.
    expect(clearlyMany(5_000, 2_000)).toBe(Infinity);
  });

  it('samples every label of a small collection once', () => {
    const visited: number[] = [];
    sampleShare(617, (label) => (visited.push(label), false), 1);
    expect(visited.sort((a, b) => a - b)).toEqual(Array.from({ length: 617 }, (_, i) => i));
  });
});
