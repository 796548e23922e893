/** Queues are nouns, jobs verb-noun. */
export const QUEUES = { profiles: 'profiles', leads: 'leads', maintenance: 'maintenance' } as const;

export const JOBS = {
  embedProfile: 'embed-profile',
  reconcileEmbeddings: 'reconcile-embeddings',
  generateLeads: 'generate-leads',
  deliverLead: 'deliver-lead',
  expireOffer: 'expire-offer',
  assignWaitingLeads: 'assign-waiting-leads',
  closeWithdrawnLeads: 'close-withdrawn-leads',
  expireIdempotencyKeys: 'expire-idempotency-keys',
} as const;

/** Payload of `embed-profile`: ids only; the worker reads the record. */
export type ProfilesJobPayload = EmbedProfilePayload | Record<string, never>;

export interface EmbedProfilePayload {
  kind: 'achievement' | 'demand' | 'expert' | 'broker';
  id: string;
  contentHash: string;
  /** The request that caused the job, carried into the worker's logs. */
  requestId?: string;
}

/** `generate-leads`: a demand or achievement was embedded with this content; find its leads. */
export interface GenerateLeadsPayload {
  kind: 'demand' | 'achievement';
  id: string;
  contentHash: string;
}

/** `deliver-lead` and `expire-offer`: one offer of a lead to a broker. */
export interface OfferPayload {
  offerId: string;
}

export type LeadsJobPayload = GenerateLeadsPayload | OfferPayload | Record<string, never>;
