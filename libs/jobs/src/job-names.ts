/** Queues are nouns, jobs verb-noun. */
export const QUEUES = { profiles: 'profiles' } as const;

export const JOBS = { embedProfile: 'embed-profile', reconcileEmbeddings: 'reconcile-embeddings' } as const;

/** Payload of `embed-profile`: ids only; the worker reads the record. */
export type ProfilesJobPayload = EmbedProfilePayload | Record<string, never>;

export interface EmbedProfilePayload {
  kind: 'achievement' | 'demand' | 'expert' | 'broker';
  id: string;
  contentHash: string;
  /** The request that caused the job, carried into the worker's logs. */
  requestId?: string;
}
