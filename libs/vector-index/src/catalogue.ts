import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { ProfileByKind, ProfileKind } from '@app/profiles';
import type { IndexMeta } from './index-meta';
import { LexicalCollection } from './lexical-collection';
import { VectorCollection, type HnswOptions } from './vector-collection';

/** A record as this copy keeps it, with the version (changed_at) it was read at. */
export interface KeptRecord {
  record: ProfileByKind[ProfileKind];
  version: string;
}

export interface Position {
  changedAt: string;
  id: string;
}

/** One kind's copy: the HNSW and BM25 indexes, the metadata of its records, and where catch-up stands. */
export class Catalogue {
  dense: VectorCollection<IndexMeta>;
  lexical = new LexicalCollection();
  /**
   * Metadata of every live record, embedded or not (the lexical index has records the dense one lacks yet). Changed
   * through `setMeta` and `deleteMeta`, which keep `publicCount`.
   */
  meta = new Map<string, IndexMeta>();
  /** How many of the live records are public (published): the population of a rarity every reader may know. */
  publicCount = 0;
  /** Recently used records with their version, frozen (every request shares them); absent when off. */
  records?: LRUCache<string, KeptRecord>;
  /** Counts the batches of changes applied, so that a read from the database can tell whether one overtook it. */
  generation = 0;
  position: Position | null = null;
  dirty = false;
  syncing?: Promise<void>;

  constructor(
    readonly kind: ProfileKind,
    dimension: number,
    hnsw: HnswOptions,
    recordCache: number,
  ) {
    this.dense = new VectorCollection<IndexMeta>(dimension, hnsw);
    if (recordCache > 0) this.records = new LRUCache({ max: recordCache });
  }

  setMeta(id: string, meta: IndexMeta): void {
    this.deleteMeta(id);
    this.meta.set(id, meta);
    if (meta.public) this.publicCount++;
  }

  deleteMeta(id: string): void {
    if (this.meta.get(id)?.public) this.publicCount--;
    this.meta.delete(id);
  }

  /** Writes this copy's files into a snapshot folder, with the model that made its vectors and its position. */
  async save(folder: string, modelId: string): Promise<void> {
    await this.dense.snapshot(folder, { modelId, position: this.position });
    await writeFile(join(folder, 'lexical.json'), this.lexical.toJSON());
    await writeFile(join(folder, 'meta.json'), JSON.stringify([...this.meta]));
  }

  /**
   * Loads a snapshot folder into this (new) copy. 'absent' or 'damaged': nothing usable; 'other-model': vectors of
   * another model. Any answer but 'loaded' leaves the copy half-filled: the caller starts a new one.
   */
  async load(folder: string, modelId: string): Promise<'loaded' | 'absent' | 'other-model' | 'damaged'> {
    const state = (await this.dense.load(folder).catch(() => undefined)) as SnapshotState | undefined;
    if (!state) return 'absent';
    if (state.modelId !== modelId) return 'other-model';
    try {
      this.lexical.load(await readFile(join(folder, 'lexical.json'), 'utf8'));
      this.meta = new Map(JSON.parse(await readFile(join(folder, 'meta.json'), 'utf8')) as [string, IndexMeta][]);
      this.publicCount = 0;
      for (const m of this.meta.values()) if (m.public) this.publicCount++;
      this.position = state.position;
      return 'loaded';
    } catch {
      return 'damaged';
    }
  }
}

/** What a kind's snapshot folder was saved with (see `Catalogue.save`): its model and how far it had caught up. */
export interface SnapshotState {
  modelId: string;
  position: Position | null;
}

/** The state of a snapshot folder, read without loading the snapshot; undefined when it is not a complete one. */
export async function snapshotState(folder: string): Promise<SnapshotState | undefined> {
  return (await VectorCollection.snapshotState(folder)) as SnapshotState | undefined;
}

/** The record itself, frozen: kept records are shared by every request, so none may change one. */
export function frozen<T extends object>(record: T): T {
  Object.freeze(record);
  return record;
}
