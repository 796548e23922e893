import type { Demand, Profile, ProfileByKind, ProfileKind } from './profiles.types';

/**
 * The one definition of where a record stands for others: whether it is published (others may see it) and live
 * (others may be matched with it), and the public form of a demand. Access (profiles.service), the search index's
 * metadata, matching's hard constraints and lead generation all read these.
 */

/** The statuses in which a record takes part in matching (people: `active`). */
export const LIVE_STATUSES: Record<ProfileKind, readonly string[]> = {
  achievement: ['listed', 'under_negotiation'],
  demand: ['open'],
  expert: ['active'],
  broker: ['active'],
};

/** A record's status as the rules compare it: its own, or `active` / `inactive` for experts and brokers. */
export function statusOf<K extends ProfileKind>(kind: K, record: ProfileByKind[K]): string {
  if (kind === 'achievement' || kind === 'demand') return (record as Demand).status;
  return (record as ProfileByKind['expert' | 'broker']).active ? 'active' : 'inactive';
}

/** Others may see it: not a draft, not withdrawn, an achievement not private, a person active. */
export function isPublished<K extends ProfileKind>(kind: K, record: ProfileByKind[K]): boolean {
  const status = statusOf(kind, record);
  if (kind === 'achievement' && (record as ProfileByKind['achievement']).visibility !== 'public') return false;
  return status !== 'draft' && status !== 'withdrawn' && status !== 'inactive';
}

/** Others may be matched with it: published, in a live status. */
export function isLive<K extends ProfileKind>(kind: K, record: ProfileByKind[K]): boolean {
  return isPublished(kind, record) && LIVE_STATUSES[kind].includes(statusOf(kind, record));
}

/** The fields of a demand with its confidential ones blanked (null): what its public text is made of. */
export function withoutConfidential<F extends { confidentialFields?: unknown }>(fields: F): F {
  const out: Record<string, unknown> = { ...fields };
  const confidential = Array.isArray(fields.confidentialFields) ? (fields.confidentialFields as string[]) : [];
  for (const field of confidential) out[field] = null;
  return out as F;
}

/** A demand as everyone but its owner sees it: confidential fields blanked, and its content hash (made from them). */
export function publicFormOf(demand: Demand): Demand {
  return { ...withoutConfidential(demand), embedding: { ...demand.embedding, contentHash: '' } };
}

export type { Profile };
