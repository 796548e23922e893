import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HierarchicalNSW } from 'hnswlib-node';
import { normalised } from '@app/embedding';

export interface HnswOptions {
  /** Graph degree. */
  m: number;
  efConstruction: number;
  /** Candidate list size at query time (at least k). */
  efSearch: number;
  /** At most this many eligible records: exact scan instead of filtered HNSW (see `search`). */
  exactScanBelow: number;
}

export const DEFAULT_HNSW: HnswOptions = { m: 16, efConstruction: 200, efSearch: 128, exactScanBelow: 2000 };

export interface Hit<M> {
  id: string;
  /** Cosine similarity to the query. */
  similarity: number;
  meta: M;
}

export type SearchPlan = 'hnsw' | 'post-filtered-hnsw' | 'filtered-hnsw' | 'exact';

export interface SearchResult<M> {
  hits: Hit<M>[];
  plan: SearchPlan;
  /** How many live records passed the filter (all of them without one; estimated from a sample on large sets). */
  eligible: number;
}

interface SnapshotHeader<M> {
  dimension: number;
  capacity: number;
  ids: (string | null)[];
  meta: (M | null)[];
  deleted: number[];
  /** Whatever the owner needs to catch up from (e.g. a timestamp and the model id). */
  state: Record<string, unknown>;
}

/**
 * One HNSW cosine index (hnswlib-node) with what it lacks: string ids mapped to integer labels, per-record metadata
 * for filters, a copy of each unit vector for exact scans, deletion, growth, and a snapshot on disk.
 */
export class VectorCollection<M> {
  private index: HierarchicalNSW;
  private capacity: number;
  private vectors: Float32Array;
  private readonly labels = new Map<string, number>();
  private ids: (string | null)[] = [];
  private meta: (M | null)[] = [];
  private readonly deleted = new Set<number>();

  constructor(
    readonly dimension: number,
    private readonly options: HnswOptions = DEFAULT_HNSW,
    initialCapacity = 1024,
  ) {
    this.capacity = initialCapacity;
    this.index = this.newIndex(initialCapacity);
    this.vectors = new Float32Array(initialCapacity * dimension);
  }

  /** Live records (deleted ones excluded). */
  get size(): number {
    return this.labels.size - this.deleted.size;
  }

  has(id: string): boolean {
    const label = this.labels.get(id);
    return label !== undefined && !this.deleted.has(label);
  }

  /** Adds a record or replaces its vector and metadata; a deleted record comes back. */
  upsert(id: string, vector: Float32Array, meta: M): void {
    if (vector.length !== this.dimension)
      throw new Error(`vector has ${vector.length} dimensions, index ${this.dimension}`);
    let label = this.labels.get(id);
    if (label === undefined) {
      label = this.ids.length;
      if (label >= this.capacity) this.grow(this.capacity * 2);
      this.labels.set(id, label);
      this.ids.push(id);
      this.meta.push(meta);
    }
    const unit = normalised(vector);
    this.vectors.set(unit, label * this.dimension);
    this.meta[label] = meta;
    this.index.addPoint(Array.from(unit), label); // re-adding a deleted label also undeletes it
    this.deleted.delete(label);
  }

  /** Changes only the metadata (a status change that leaves the text alone). */
  updateMeta(id: string, meta: M): boolean {
    const label = this.labels.get(id);
    if (label === undefined) return false;
    this.meta[label] = meta;
    return true;
  }

  remove(id: string): void {
    const label = this.labels.get(id);
    if (label === undefined || this.deleted.has(label)) return;
    this.index.markDelete(label);
    this.deleted.add(label);
  }

  vectorOf(id: string): Float32Array | undefined {
    const label = this.labels.get(id);
    if (label === undefined || this.deleted.has(label)) return undefined;
    return this.vectors.subarray(label * this.dimension, (label + 1) * this.dimension);
  }

  metaOf(id: string): M | undefined {
    const label = this.labels.get(id);
    return label === undefined || this.deleted.has(label) ? undefined : (this.meta[label] ?? undefined);
  }

  /**
   * The k records most similar to the query among those the filter accepts. The plan follows the number of
   * eligible records, as filtering vector engines do: with no filter, plain HNSW; with few eligible records (at
   * most `exactScanBelow`), an exact scan of just those, which is both exact and cheaper than a filtered graph walk
   * that must skip most of what it visits; when nearly every record is eligible, a plain walk for a few more than
   * k, filtered afterwards (the filter is then asked of k-odd results instead of every node the walk visits);
   * otherwise HNSW with the filter inside the walk, falling back to the exact scan in the rare case it returns
   * fewer than k while k eligible records exist.
   */
  search(query: Float32Array, k: number, filter?: (meta: M) => boolean): SearchResult<M> {
    const q = normalised(query);
    if (!filter) {
      const n = Math.min(k, this.size);
      return { hits: n === 0 ? [] : this.hnsw(q, n), plan: 'hnsw', eligible: this.size };
    }
    // Counting the eligible records exactly costs a pass over all of them; a sample tells which plan to take.
    const estimate = this.estimateEligible(filter);
    if (estimate <= this.options.exactScanBelow * 2) {
      const eligible = this.eligibleLabels(filter);
      if (eligible.length <= this.options.exactScanBelow) {
        return { hits: this.exact(q, k, eligible), plan: 'exact', eligible: eligible.length };
      }
    }
    const share = estimate / Math.max(1, this.size);
    if (share >= POST_FILTER_SHARE) {
      const wanted = Math.min(this.size, Math.ceil(k / share) + POST_FILTER_SLACK);
      const hits = this.hnsw(q, wanted).filter((h) => filter(h.meta));
      if (hits.length >= k) return { hits: hits.slice(0, k), plan: 'post-filtered-hnsw', eligible: estimate };
    }
    const hits = this.hnsw(q, Math.min(k, this.size), (label) => filter(this.meta[label]!));
    if (hits.length < k) {
      // Fewer than k: either fewer than k are eligible, or the walk missed some. The exact scan settles it.
      const eligible = this.eligibleLabels(filter);
      if (hits.length < Math.min(k, eligible.length)) {
        return { hits: this.exact(q, k, eligible), plan: 'exact', eligible: eligible.length };
      }
      return { hits, plan: 'filtered-hnsw', eligible: eligible.length };
    }
    return { hits, plan: 'filtered-hnsw', eligible: estimate };
  }

  /** Exact search over every live record (the baseline benchmarks compare HNSW with). */
  exactSearch(query: Float32Array, k: number, filter?: (meta: M) => boolean): Hit<M>[] {
    return this.exact(normalised(query), k, this.eligibleLabels(filter ?? (() => true)));
  }

  async snapshot(dir: string, state: Record<string, unknown>): Promise<void> {
    await mkdir(dir, { recursive: true });
    const tmp = `.tmp-${process.pid}`;
    const header: SnapshotHeader<M> = {
      dimension: this.dimension,
      capacity: this.capacity,
      ids: this.ids,
      meta: this.meta,
      deleted: [...this.deleted],
      state,
    };
    await this.index.writeIndex(join(dir, `index.bin${tmp}`));
    await writeFile(
      join(dir, `vectors.bin${tmp}`),
      new Uint8Array(this.vectors.buffer, 0, this.ids.length * this.dimension * 4),
    );
    await writeFile(join(dir, `header.json${tmp}`), JSON.stringify(header));
    // The header is renamed last: a snapshot is complete only when its header is.
    await rename(join(dir, `index.bin${tmp}`), join(dir, 'index.bin'));
    await rename(join(dir, `vectors.bin${tmp}`), join(dir, 'vectors.bin'));
    await rename(join(dir, `header.json${tmp}`), join(dir, 'header.json'));
  }

  /** The state a snapshot was written with, without loading it; undefined when there is no complete snapshot. */
  static async snapshotState(dir: string): Promise<Record<string, unknown> | undefined> {
    try {
      return (JSON.parse(await readFile(join(dir, 'header.json'), 'utf8')) as SnapshotHeader<unknown>).state;
    } catch {
      return undefined;
    }
  }

  /** Loads a snapshot; returns its state, or undefined when there is none or it does not fit this collection. */
  async load(dir: string): Promise<Record<string, unknown> | undefined> {
    let header: SnapshotHeader<M>;
    try {
      header = JSON.parse(await readFile(join(dir, 'header.json'), 'utf8')) as SnapshotHeader<M>;
    } catch {
      return undefined;
    }
    if (header.dimension !== this.dimension) return undefined;
    const index = new HierarchicalNSW('cosine', this.dimension);
    await index.readIndex(join(dir, 'index.bin'), false);
    index.setEf(this.options.efSearch);
    const bytes = await readFile(join(dir, 'vectors.bin'));
    this.index = index;
    this.capacity = index.getMaxElements();
    this.vectors = new Float32Array(this.capacity * this.dimension);
    this.vectors.set(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    this.ids = header.ids;
    this.meta = header.meta;
    this.labels.clear();
    header.ids.forEach((id, label) => id !== null && this.labels.set(id, label));
    this.deleted.clear();
    for (const label of header.deleted) this.deleted.add(label);
    return header.state;
  }

  private newIndex(capacity: number): HierarchicalNSW {
    const index = new HierarchicalNSW('cosine', this.dimension);
    index.initIndex({
      maxElements: capacity,
      m: this.options.m,
      efConstruction: this.options.efConstruction,
      randomSeed: 100,
      allowReplaceDeleted: false,
    });
    index.setEf(this.options.efSearch);
    return index;
  }

  private grow(capacity: number): void {
    this.index.resizeIndex(capacity);
    const vectors = new Float32Array(capacity * this.dimension);
    vectors.set(this.vectors);
    this.vectors = vectors;
    this.capacity = capacity;
  }

  /** Live records the filter accepts, estimated from a sample (see `sampleShare`). */
  private estimateEligible(filter: (meta: M) => boolean): number {
    const labels = this.ids.length;
    if (labels <= SAMPLE) return this.eligibleLabels(filter).length;
    const { share } = sampleShare(
      labels,
      (label) => !this.deleted.has(label) && filter(this.meta[label]!),
      clearlyMany(labels, this.options.exactScanBelow),
    );
    return Math.round(share * labels);
  }

  private eligibleLabels(filter: (meta: M) => boolean): number[] {
    const out: number[] = [];
    for (let label = 0; label < this.ids.length; label++) {
      if (!this.deleted.has(label) && filter(this.meta[label]!)) out.push(label);
    }
    return out;
  }

  private hnsw(q: Float32Array, k: number, filter?: (label: number) => boolean): Hit<M>[] {
    this.index.setEf(Math.max(this.options.efSearch, k));
    const { neighbors, distances } = this.index.searchKnn(Array.from(q), k, filter);
    return neighbors.map((label, i) => ({
      id: this.ids[label]!,
      similarity: 1 - distances[i],
      meta: this.meta[label]!,
    }));
  }

  private exact(q: Float32Array, k: number, labels: number[]): Hit<M>[] {
    const d = this.dimension;
    const scored = labels.map((label) => {
      let s = 0;
      const offset = label * d;
      for (let i = 0; i < d; i++) s += q[i] * this.vectors[offset + i];
      return [label, s] as const;
    });
    scored.sort((a, b) => b[1] - a[1]);
    return scored.slice(0, k).map(([label, s]) => ({ id: this.ids[label]!, similarity: s, meta: this.meta[label]! }));
  }
}

/** At least this share eligible: walk without the filter and filter the results, asking a few more than k. */
const POST_FILTER_SHARE = 0.9;
const POST_FILTER_SLACK = 5;

/** Labels sampled to plan a filtered search, and a stride coprime to it that scatters the order of the visit. */
const SAMPLE = 1000;
const SAMPLE_STRIDE = 617;

/**
 * The sampled share past which a plan is certainly a graph walk: four times the share an exact scan would take
 * (`exactScanBelow`, and twice that before the exact count). In a catalogue too small for four times that to be
 * reachable (below 8 x exactScanBelow records), POST_FILTER_SHARE, provided the exact share is at most 0.6: six
 * standard deviations of a sample of 100 below it. Smaller still, the whole sample is taken.
 */
export function clearlyMany(labels: number, exactScanBelow: number): number {
  const exactShare = (2 * exactScanBelow) / labels;
  if (4 * exactShare <= POST_FILTER_SHARE) return 4 * exactShare;
  return exactShare <= 0.6 ? POST_FILTER_SHARE : Infinity;
}

/**
 * The share of `labels` that `accepts`, from at most 1,000 evenly spaced labels visited in a scattered order, so
 * that any prefix of the sample spans the whole range. A plan only has to know whether the share may be small
 * enough for an exact scan: once 100 labels are seen and the share is at least `clearlyMany` (see there), the rest
 * cannot change the plan and the walk stops. Most filters accept most records, so most plans ask 100 labels instead of 1,000.
 */
export function sampleShare(
  labels: number,
  accepts: (label: number) => boolean,
  clearlyMany: number,
): { share: number; asked: number } {
  const size = Math.min(SAMPLE, labels);
  const step = labels / size;
  const stride = size % SAMPLE_STRIDE === 0 ? 1 : SAMPLE_STRIDE; // 617 is prime: coprime to any other size
  let accepted = 0;
  let asked = 0;
  while (asked < size) {
    const label = Math.floor(((asked * stride) % size) * step);
    asked++;
    if (accepts(label)) accepted++;
    if (asked % 100 === 0 && accepted / asked >= clearlyMany) break;
  }
  return { share: size === 0 ? 0 : accepted / asked, asked };
}
