import type { Actor } from '@app/access';
import type { ProfileByKind, ProfileKind, ProfilesService } from '@app/profiles';
import { indexMeta, type IndexMeta, type SearchIndexService } from '@app/vector-index';
import { IndexNotReadyError } from './matching.errors';

/**
 * The records of search hits, current and as the actor may see them (a demand's confidential fields blanked). The
 * hits were filtered on the index's copy of their metadata, which may lag a change made through another process; a
 * record that no longer passes the filter as it is now (made private, withdrawn) is left out.
 */
export async function visibleRecords<K extends ProfileKind>(
  index: SearchIndexService,
  profiles: ProfilesService,
  actor: Actor,
  kind: K,
  ids: string[],
  filter: (m: IndexMeta) => boolean,
): Promise<Map<string, ProfileByKind[K]>> {
  const records = await index.currentRecords(kind, ids);
  return new Map(
    [...records]
      .filter(([, r]) => filter(indexMeta(kind, r)))
      .map(([id, r]) => [id, profiles.visibleTo(actor, kind, r)]),
  );
}

export function requireIndexReady(index: SearchIndexService): void {
  if (index.state !== 'ready') throw new IndexNotReadyError();
}
