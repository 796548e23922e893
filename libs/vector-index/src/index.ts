// Owns the search indexes derived from PostgreSQL: HNSW (hnswlib-node) over profile vectors with filters, BM25 over
// public text, their snapshots and catch-up. It must not score or explain: it returns candidates and similarities.
export { indexMeta, type IndexMeta } from './index-meta';
export { bigrams, LexicalCollection, sharedPhrases, type Rarity } from './lexical-collection';
export { KINDS, SearchIndexService, type IndexState } from './search-index.service';
export { snapshotState, type SnapshotState } from './catalogue';
export { currentSnapshot, writeSnapshot } from './snapshot-folder';
export {
  DEFAULT_HNSW,
  VectorCollection,
  type Hit,
  type HnswOptions,
  type SearchPlan,
  type SearchResult,
} from './vector-collection';
export { VectorIndexModule } from './vector-index.module';
