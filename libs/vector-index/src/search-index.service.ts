import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EmbeddingService } from '@app/embedding';
import { IndexNotifier } from '@app/jobs';
import { indexSize } from '@app/observability';
import {
  embeddingText,
  ProfilesRepository,
  type ProfileByKind,
  type ProfileChange,
  type ProfileKind,
} from '@app/profiles';
import { indexMeta, type IndexMeta } from './index-meta';
import { Catalogue, frozen, type KeptRecord } from './catalogue';
import { bigrams, type Rarity } from './lexical-collection';
import { currentSnapshot, writeSnapshot } from './snapshot-folder';
import type { SearchResult } from './vector-collection';

export const KINDS: ProfileKind[] = ['achievement', 'demand', 'expert', 'broker'];

export type IndexState = 'loading' | 'ready' | 'failed';

/** Between catch-up passes while `reach` waits for a write still held back by an open transaction. */
const REACH_RETRY_MS = 20;

/**
 * This process's copy of the search indexes: per kind of profile, an HNSW index of the vectors and a BM25 index
 * of the public text, both derived from PostgreSQL. Every process that searches (each API replica) keeps its own
 * copy and converges on the database: it catches up on rows whose changed_at moved past its position, when another
 * process announces a change (Redis pub/sub) and at least every INDEX_SYNC_MS. A restart loads the last snapshot
 * and catches up from its position; without one (or after a model change) it rebuilds from the database.
 */
@Injectable()
export class SearchIndexService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SearchIndexService.name);
  private readonly catalogues: Record<ProfileKind, Catalogue>;
  private timers: NodeJS.Timeout[] = [];
  state: IndexState = 'loading';
  private closed = false;
  private retry?: NodeJS.Timeout;
  private lastBackgroundError = '';
  private markReady!: () => void;
  /** Settles when the index is first ready (after its snapshot, with several API processes). */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ProfilesRepository,
    private readonly embedding: EmbeddingService,
    private readonly notifier: IndexNotifier,
  ) {
    this.catalogues = Object.fromEntries(KINDS.map((k) => [k, this.newCatalogue(k)])) as Record<ProfileKind, Catalogue>;
  }

  onApplicationBootstrap(): void {
    // In the background: the API answers (and says "not ready") while a first build runs; when the database cannot
    // be reached, it tries again every few seconds.
    const attempt = (): void => {
      if (this.closed) return;
      this.start().catch((e: Error) => {
        this.state = 'failed';
        this.logger.error({ err: e.message }, 'search index failed to start; retrying in 5 s');
        this.retry = setTimeout(attempt, 5_000);
      });
    };
    attempt();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    for (const t of this.timers) clearInterval(t);
    if (this.state === 'ready') await this.snapshot();
  }

  async start(): Promise<void> {
    const started = Date.now();
    for (const kind of KINDS) await this.loadSnapshot(kind);
    await this.syncAll();
    // With several API processes, the first writes what it built before it serves, for the others to start from.
    if (this.config.http.processes > 1) await this.snapshot();
    this.state = 'ready';
    this.markReady();
    this.logger.log({ ms: Date.now() - started, sizes: this.sizes() }, 'search index ready');
    await this.notifier.subscribe(
      (kind) => KINDS.includes(kind as ProfileKind) && this.background(this.sync(kind as ProfileKind), 'catch-up'),
    );
    this.timers.push(setInterval(() => this.background(this.syncAll(), 'catch-up'), this.config.index.syncMs).unref());
    if (this.config.index.snapshotDir) {
      this.timers.push(
        setInterval(() => this.background(this.snapshot(), 'snapshot'), this.config.index.snapshotEveryMs).unref(),
      );
    }
  }

  /**
   * Background work must never reject unhandled (the process would exit): a database restart makes catch-up fail
   * until it is back, and the next tick catches up. Each distinct failure is logged once.
   */
  private background(work: Promise<unknown>, what: string): void {
    work.then(
      () => {
        if (this.lastBackgroundError) this.logger.log(`search index ${what} recovered`);
        this.lastBackgroundError = '';
      },
      (e: Error) => {
        if (e.message !== this.lastBackgroundError) this.logger.warn({ err: e.message }, `search index ${what} failed`);
        this.lastBackgroundError = e.message;
      },
    );
  }

  /**
   * Catches every kind up with what the database held when called: a pass already running may have started before
   * the latest commits, so a fresh one follows it.
   */
  async syncAll(): Promise<void> {
    await Promise.all(
      KINDS.map(async (k) => {
        await this.catalogues[k].syncing;
        await this.sync(k);
      }),
    );
  }

  /** Catches one kind up; concurrent calls share one pass. */
  sync(kind: ProfileKind): Promise<void> {
    const c = this.catalogues[kind];
    c.syncing ??= this.catchUp(c).finally(() => (c.syncing = undefined));
    return c.syncing;
  }

  /**
   * Waits until this copy has caught up with a record's write at `changedAt` (a changed_at as PostgreSQL prints
   * it: one session time zone, so the text orders as the time does). False when it has not within `waitMs` (a
   * writer's transaction still open holds the position back), or while the copy is not ready.
   */
  async reach(kind: ProfileKind, changedAt: string, waitMs = 2_000): Promise<boolean> {
    // While the copy is still loading its snapshot or building, catching up here would race the load: not yet.
    if (this.state !== 'ready') return false;
    const c = this.catalogues[kind];
    const reached = () => c.position !== null && c.position.changedAt >= changedAt;
    const deadline = Date.now() + waitMs;
    while (!reached()) {
      // A pass already running may have started before that write committed: a fresh one follows it.
      await c.syncing;
      await this.sync(kind);
      if (reached() || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, REACH_RETRY_MS));
    }
    return reached();
  }

  private async catchUp(c: Catalogue): Promise<void> {
    // Only up to the writes that can no longer be overtaken: concurrent writers commit out of changed_at order, and
    // a position moved past a row still uncommitted would never see it.
    const before = await this.repository.settledBefore(c.kind);
    for (;;) {
      const changes = await this.repository.changesSince(c.kind, c.position, before, 1000);
      for (const change of changes) this.apply(c, change);
      if (changes.length > 0) {
        c.generation++;
        const last = changes[changes.length - 1];
        c.position = { changedAt: last.changedAt, id: last.profile.id };
        c.dirty = true;
        indexSize.set({ kind: c.kind }, c.dense.size);
      }
      if (changes.length < 1000) return;
    }
  }

  private apply<K extends ProfileKind>(c: Catalogue, change: ProfileChange<ProfileByKind[K]>): void {
    const { profile, vector, withdrawn } = change;
    if (withdrawn) {
      c.dense.remove(profile.id);
      c.lexical.remove(profile.id);
      c.deleteMeta(profile.id);
      c.records?.delete(profile.id);
      return;
    }
    const meta = indexMeta(c.kind, profile);
    c.setMeta(profile.id, meta);
    // Only a record already kept is replaced: catching up on a whole catalogue must not fill the cache.
    if (c.records?.has(profile.id)) c.records.set(profile.id, { record: frozen(profile), version: change.changedAt });
    // A vector of another model is never compared with this model's: the record waits for its re-embedding.
    if (vector && profile.embedding.modelId === this.embedding.modelId) c.dense.upsert(profile.id, vector, meta);
    else c.dense.remove(profile.id);
    // The public text only (embeddingText's rule): search results cannot reveal a demand's confidential fields.
    c.lexical.upsert(profile.id, embeddingText(c.kind, profile));
  }

  /** Drops every copy and rebuilds from the database (after a model change, or when a snapshot is lost). */
  async rebuild(): Promise<void> {
    for (const kind of KINDS) {
      this.catalogues[kind] = this.newCatalogue(kind);
      if (this.config.index.snapshotDir)
        await rm(join(this.config.index.snapshotDir, kind), { recursive: true, force: true });
    }
    await this.syncAll();
    this.state = 'ready';
    await this.snapshot();
  }

  async snapshot(): Promise<void> {
    const dir = this.config.index.snapshotDir;
    // Of several API processes, the first writes for all; the others start from its snapshots.
    if (!dir || this.config.http.processIndex > 0) return;
    for (const c of Object.values(this.catalogues)) {
      if (!c.dirty) continue;
      c.dirty = false;
      await writeSnapshot(dir, c.kind, (folder) => c.save(folder, this.embedding.modelId));
    }
  }

  private async loadSnapshot(kind: ProfileKind): Promise<void> {
    const dir = this.config.index.snapshotDir;
    if (!dir) return;
    const folder = await currentSnapshot(dir, kind);
    if (!folder) return;
    const loaded = await this.catalogues[kind].load(folder, this.embedding.modelId);
    if (loaded === 'other-model') this.logger.warn({ kind }, 'snapshot of another model ignored: rebuilding');
    if (loaded !== 'loaded') this.catalogues[kind] = this.newCatalogue(kind);
  }

  private newCatalogue(kind: ProfileKind): Catalogue {
    return new Catalogue(kind, this.embedding.dimension, this.config.index.hnsw, this.config.index.recordCache);
  }

  sizes(): Record<ProfileKind, number> {
    return Object.fromEntries(KINDS.map((k) => [k, this.catalogues[k].dense.size])) as Record<ProfileKind, number>;
  }

  dense(
    kind: ProfileKind,
    query: Float32Array,
    k: number,
    filter?: (m: IndexMeta) => boolean,
  ): SearchResult<IndexMeta> {
    return this.catalogues[kind].dense.search(query, k, filter);
  }

  exact(kind: ProfileKind, query: Float32Array, k: number, filter?: (m: IndexMeta) => boolean) {
    return this.catalogues[kind].dense.exactSearch(query, k, filter);
  }

  lexical(kind: ProfileKind, text: string, k: number, filter?: (m: IndexMeta) => boolean) {
    const c = this.catalogues[kind];
    return c.lexical.search(text, k, (id) => {
      const m = c.meta.get(id);
      return m !== undefined && (!filter || filter(m));
    });
  }

  /**
   * Whether a record as it is now still has a term of the query in the text the lexical index reads (its public
   * text): a hit found on the copy's older text (a field made confidential since, not caught up yet) that no longer
   * has any is no hit.
   */
  holdsLexically<K extends ProfileKind>(kind: K, record: ProfileByKind[K], query: string): boolean {
    const terms = new Set(bigrams(embeddingText(kind, record)));
    return bigrams(query).some((t) => terms.has(t));
  }

  /** How rare a term is among the live records of a kind (their public text, as the lexical index reads it). */
  rarity(kind: ProfileKind): Rarity {
    return this.catalogues[kind].lexical;
  }

  /**
   * How rare terms are among the published records of a kind alone: for what is computed for a party from rarity
   * (the assistant's keywords), so that it cannot tell whether a draft or private record holds a word.
   */
  publicRarity(kind: ProfileKind): Rarity {
    const c = this.catalogues[kind];
    const isPublic = (id: string) => c.meta.get(id)?.public === true;
    return { idf: (term) => c.lexical.idfAmong(term, isPublic, c.publicCount), size: c.publicCount };
  }

  vectorOf(kind: ProfileKind, id: string): Float32Array | undefined {
    return this.catalogues[kind].dense.vectorOf(id);
  }

  /** Every live record of a kind that has a vector, for summaries over a catalogue (the assistant's prototypes). */
  *embedded(kind: ProfileKind): Generator<{ id: string; meta: IndexMeta; vector: Float32Array }> {
    const c = this.catalogues[kind];
    for (const [id, meta] of c.meta) {
      const vector = c.dense.vectorOf(id);
      if (vector) yield { id, meta, vector };
    }
  }

  /** Changes so far to a kind's catalogue: a summary computed at one count holds until it moves. */
  generation(kind: ProfileKind): number {
    return this.catalogues[kind].generation;
  }

  metaOf(kind: ProfileKind, id: string): IndexMeta | undefined {
    return this.catalogues[kind].meta.get(id);
  }

  /**
   * The current records of the given ids (those that exist), through a cache: recently used ones are kept, but each is
   * checked against its version in PostgreSQL (one light query for all) before it is served: a change made through
   * another process (a demand's fields made confidential, an achievement made private) counts at once, not when
   * this copy catches up. The rest is read from PostgreSQL and kept.
   */
  async currentRecords<K extends ProfileKind>(kind: K, ids: readonly string[]): Promise<Map<string, ProfileByKind[K]>> {
    const c = this.catalogues[kind];
    const found = new Map<string, ProfileByKind[K]>();
    const kept = new Map<string, KeptRecord>();
    const missing: string[] = [];
    for (const id of ids) {
      const entry = c.records?.get(id);
      if (entry) kept.set(id, entry);
      else missing.push(id);
    }
    const generation = c.generation;
    const [versions, read] = await Promise.all([
      this.repository.versionsOf(kind, [...kept.keys()]),
      this.repository.findVersionedByIds(kind, missing),
    ]);
    const stale: string[] = [];
    for (const [id, entry] of kept) {
      if (versions.get(id) === entry.version) found.set(id, entry.record as ProfileByKind[K]);
      else if (versions.has(id)) stale.push(id);
      else c.records?.delete(id);
    }
    for (const { record, version } of [...read, ...(await this.repository.findVersionedByIds(kind, stale))]) {
      found.set(record.id, record);
      // A change applied while this read ran may be newer than what it returned: keep only what nothing overtook.
      if (c.generation === generation && c.meta.has(record.id))
        c.records?.set(record.id, { record: frozen(record), version });
    }
    return found;
  }
}
