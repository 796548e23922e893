import { isOwnerOrAdmin, type Actor } from '@app/access';
import { LIVE_STATUSES, type ProfileByKind, type ProfileKind } from '@app/profiles';
import { regionPrefix } from '@app/taxonomy';
import type { IndexMeta } from '@app/vector-index';
import type { MatchScore } from './scoring';

// What a match is, and which records may be one: the types of the matching directions and their hard constraints.

/** Filters a caller may add; hard constraints (withdrawn, traded, private, drafts) always apply. */
export interface MatchFilters {
  regionCode?: string;
  industryCode?: string;
  minReadinessLevel?: number;
  transactionMode?: string;
  green?: boolean;
}

export interface Match<K extends ProfileKind = ProfileKind> extends MatchScore {
  /** The fitted weight version it was scored with; null: the configured weights. */
  weightsVersion: number | null;
  /** Predicted acceptance of a lead on this pair, once a fitted version is active; null before. */
  probability: number | null;
  id: string;
  kind: K;
  similarity: number;
  record: ProfileByKind[K];
  alsoListedAs?: { id: string; organisationId: string }[];
}

export interface SearchHit<K extends ProfileKind = ProfileKind> {
  id: string;
  score: number;
  denseRank: number | null;
  lexicalRank: number | null;
  record: ProfileByKind[K];
}

export type SearchMode = 'hybrid' | 'dense' | 'lexical';

/** What a commissioner programme looks for: its region, its focus industries and, optionally, words. */
export interface PartnerQuery {
  regionCode: string;
  industryCodes: string[];
  text?: string;
  limit?: number;
}

/**
 * Hard constraints (live, public unless the viewer owns it, not the asker's own) and the caller's filters, as one
 * predicate over a record's index metadata.
 */
export function hardConstraints(
  kind: ProfileKind,
  f: MatchFilters,
  excludeOrganisation: string | null,
  viewer?: Actor,
): (m: IndexMeta) => boolean {
  const live = LIVE_STATUSES[kind];
  const region = f.regionCode ? regionPrefix(f.regionCode) : null;
  return (m: IndexMeta): boolean =>
    live.includes(m.status) &&
    (m.public || (viewer !== undefined && isOwnerOrAdmin(viewer, m.organisationId))) &&
    m.organisationId !== excludeOrganisation &&
    (!region || m.regions.some((r) => r.startsWith(region) || region.startsWith(regionPrefix(r)))) &&
    (!f.industryCode || m.industries.some((i) => i.startsWith(f.industryCode!))) &&
    (f.minReadinessLevel === undefined || (m.readiness ?? 0) >= f.minReadinessLevel) &&
    (!f.transactionMode || m.transactionMode === f.transactionMode) &&
    (f.green === undefined || m.green === f.green);
}
