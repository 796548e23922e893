// Owns how well two records fit and why: pure scoring functions with configurable weights, bilingual explanations,
// near-duplicate folding, rank fusion, and the matching directions built on the search index. It must not write.
export { foldDuplicates, type Foldable } from './duplicates';
export { reciprocalRankFusion } from './fusion';
export { IndexNotReadyError, MatchingError, NotEmbeddedYetError } from './matching.errors';
export { MatchingModule } from './matching.module';
export { MatchingService } from './matching.service';
export { SearchService } from './search.service';
export { type Match, type MatchFilters, type PartnerQuery, type SearchHit, type SearchMode } from './matching.types';
export * from './scoring';
export { EVIDENCE_TERMS, keywordPart, needText, type NeedText } from './keywords';
export type { Need } from './pair-parts';
