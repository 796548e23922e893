import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EmbeddingService } from '@app/embedding';
import { ProfilesService, type ProfileKind } from '@app/profiles';
import { SearchIndexService } from '@app/vector-index';
import { reciprocalRankFusion } from './fusion';
import { hardConstraints, type MatchFilters, type SearchHit, type SearchMode } from './matching.types';
import { requireIndexReady, visibleRecords } from './visible-records';

/** Free-text search over one kind: dense (the query embedded), lexical (BM25 over bigrams), or both fused. */
@Injectable()
export class SearchService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly index: SearchIndexService,
    private readonly profiles: ProfilesService,
    private readonly embedding: EmbeddingService,
  ) {}

  async search(
    actor: Actor,
    kind: ProfileKind,
    text: string,
    mode: SearchMode,
    filters: MatchFilters,
    limit = 10,
  ): Promise<SearchHit[]> {
    requireIndexReady(this.index);
    const filter = hardConstraints(kind, filters, null, actor);
    const pool = Math.max(50, limit * 5);
    const dense =
      mode === 'lexical'
        ? []
        : this.index.dense(kind, await this.embedding.embedOne(text, 'query'), pool, filter).hits.map((h) => h.id);
    let lexical = mode === 'dense' ? [] : this.index.lexical(kind, text, pool, filter).map((h) => h.id);
    // Hybrid weighs the dense ranking SEARCH_DENSE_WEIGHT : 1 against BM25 (docs/measurements.md, "Retrieval quality").
    const fuse = () =>
      (mode === 'hybrid'
        ? reciprocalRankFusion([dense, lexical], 60, [this.config.matching.denseWeight, 1])
        : reciprocalRankFusion([mode === 'dense' ? dense : lexical])
      ).slice(0, limit);
    const read = (ids: string[]) => visibleRecords(this.index, this.profiles, actor, kind, ids, filter);
    let fused = fuse();
    let records = await read(fused.map((f) => f.id));
    // The index copy may not have caught up with a field made confidential: a lexical hit whose current public text
    // lacks every term of the query was found on text that is no longer public, and is ranked again without it.
    const stale = lexical.filter((id) => {
      const r = records.get(id);
      return r !== undefined && !this.index.holdsLexically(kind, r, text);
    });
    if (stale.length > 0) {
      lexical = lexical.filter((id) => !stale.includes(id));
      fused = fuse();
      records = await read(fused.map((f) => f.id));
    }
    return fused.flatMap((f) => {
      const record = records.get(f.id);
      if (!record) return [];
      const rank = (list: string[]) => (list.indexOf(f.id) >= 0 ? list.indexOf(f.id) + 1 : null);
      return [{ id: f.id, score: f.score, denseRank: rank(dense), lexicalRank: rank(lexical), record }];
    });
  }
}
