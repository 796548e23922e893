import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { AppConfig } from '@app/config';

/** Queues are nouns, jobs verb-noun. */
export const QUEUES = {
  profiles: 'profiles',
  leads: 'leads',
  maintenance: 'maintenance',
  challenges: 'challenges',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const uuid = z.uuid();
const PROFILE_KINDS = ['achievement', 'demand', 'expert', 'broker'] as const;
const none = z.object({}).strict();

/** How long finished jobs stay in Redis, for inspection and so that a repeated job id stays a no-op meanwhile. */
const KEEP_DAY = { removeOnComplete: { age: 24 * 3600, count: 50_000 }, removeOnFail: { age: 30 * 24 * 3600 } };

interface JobDefinition<Q extends QueueName, S extends z.ZodType> {
  queue: Q;
  payload: S;
  /** Deterministic: the relay may hand the same outbox row to the queue twice (a crash before it marks the row). */
  jobId?: (payload: z.infer<S>) => string;
  options?: (config: AppConfig, payload: z.infer<S>) => JobsOptions;
  /** A job the queue runs on a schedule (one at a time, however many workers ask), never through the outbox. */
  everyMs?: number | ((config: AppConfig) => number);
}

const define = <Q extends QueueName, S extends z.ZodType>(d: JobDefinition<Q, S>) => d;

/**
 * Every job of the service: its queue, its payload schema (checked when the job is written and again when it
 * runs), its id and its retry policy. A stage hands work on only by `Jobs.add(tx, name, payload)`, in the
 * transaction of the change that causes it; processors (libs/processors) run each job by one service call.
 */
export const JOB_DEFINITIONS = {
  /** One profile's text to a vector; committed with every profile write and import batch. */
  'embed-profile': define({
    queue: QUEUES.profiles,
    payload: z.object({
      kind: z.enum(PROFILE_KINDS),
      id: uuid,
      contentHash: z.string().min(1),
      /** The request that caused the job, carried into the worker's logs. */
      requestId: z.string().optional(),
    }),
    // BullMQ refuses ":" in custom ids.
    jobId: (p) => `embed.${p.kind}.${p.id}.${p.contentHash}`,
    options: (config) => ({
      attempts: config.jobs.embedAttempts,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    }),
  }),
  /** Vectors of another model (after EMBEDDING_MODEL changed) are embedded again. */
  'reconcile-embeddings': define({ queue: QUEUES.profiles, payload: none, everyMs: 60_000 }),
  /** A demand or achievement was embedded with this content; committed with its vector. */
  'generate-leads': define({
    queue: QUEUES.leads,
    payload: z.object({
      kind: z.enum(['demand', 'achievement']),
      id: uuid,
      contentHash: z.string().min(1),
      /** The record's changed_at when its vector was stored: the search index must have caught up with it. */
      changedAt: z.string().min(1),
    }),
    jobId: (p) => `leads.${p.kind}.${p.id}.${p.contentHash}`,
    // Ten attempts from 2 s wait up to about half an hour for an index that is still building.
    options: () => ({ attempts: 10, backoff: { type: 'exponential', delay: 2_000 }, ...KEEP_DAY }),
  }),
  /** An offer to the broker's inbox and the organisation's webhook; committed with the offer. */
  'deliver-lead': define({
    queue: QUEUES.leads,
    payload: z.object({
      offerId: uuid,
      /** Set by an operator's replay of a failed webhook: a fresh series of attempts. */
      replay: z.number().int().positive().optional(),
    }),
    jobId: (p) => (p.replay === undefined ? `deliver.${p.offerId}` : `deliver.${p.offerId}.replay.${p.replay}`),
    options: (config) => ({
      attempts: config.leads.webhook.attempts,
      backoff: { type: 'exponential', delay: config.leads.webhook.backoffMs },
      ...KEEP_DAY,
    }),
  }),
  /** The offer's service level lapses at `dueAt`; committed with the offer. */
  'expire-offer': define({
    queue: QUEUES.leads,
    payload: z.object({ offerId: uuid, dueAt: z.iso.datetime({ offset: true }) }),
    jobId: (p) => `expire.${p.offerId}`,
    options: (_config, p) => ({
      delay: Math.max(0, new Date(p.dueAt).getTime() - Date.now()),
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      ...KEEP_DAY,
    }),
  }),
  /** Leads waiting for a broker get one when capacity frees up. */
  'assign-waiting-leads': define({ queue: QUEUES.leads, payload: none, everyMs: 60_000 }),
  /** Open leads of a withdrawn demand or achievement are closed. */
  'close-withdrawn-leads': define({ queue: QUEUES.leads, payload: none, everyMs: 60_000 }),
  /** Offers that reached no inbox long after their jobs were written (a Redis that lost its data) are sent again. */
  'redeliver-lost-offers': define({ queue: QUEUES.leads, payload: none, everyMs: 60_000 }),
  /** Score weights are fitted again from lead outcomes, and switched on when they beat those in force. */
  'learn-weights': define({ queue: QUEUES.leads, payload: none, everyMs: (config) => config.learning.everyMs }),
  /** A challenge's proposal deadline: it moves to reviewing; committed with each deadline set when it opens. */
  'review-challenge': define({
    queue: QUEUES.challenges,
    payload: z.object({ challengeId: uuid, deadline: z.iso.datetime({ offset: true }) }),
    // One job per deadline: an extension commits a new one, and the old one finds the deadline moved.
    jobId: (p) => `review.${p.challengeId}.${new Date(p.deadline).getTime()}`,
    options: (_config, p) => ({
      delay: Math.max(0, new Date(p.deadline).getTime() - Date.now()),
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      ...KEEP_DAY,
    }),
  }),
  /** A proposal's text to a vector (its fit to the challenge); committed with every proposal write. */
  'embed-proposal': define({
    queue: QUEUES.challenges,
    payload: z.object({
      proposalId: uuid,
      /** The proposal's updated_at when written: a later edit makes this job a no-op. */
      version: z.string().min(1),
    }),
    jobId: (p) => `embed-proposal.${p.proposalId}.${createHash('sha1').update(p.version).digest('hex').slice(0, 16)}`,
    options: (config) => ({
      attempts: config.jobs.embedAttempts,
      backoff: { type: 'exponential', delay: 2_000 },
      ...KEEP_DAY,
    }),
  }),
  /** A challenge opened: the owners of its best matches are invited; committed with the move to open. */
  'invite-solvers': define({
    queue: QUEUES.challenges,
    payload: z.object({ challengeId: uuid }),
    jobId: (p) => `invite.${p.challengeId}`,
    // The demand's vector and this worker's index may still be on their way.
    options: () => ({ attempts: 10, backoff: { type: 'exponential', delay: 2_000 }, ...KEEP_DAY }),
  }),
  /** An invitation to its organisation's inbox; committed with the invitation. */
  'deliver-invitation': define({
    queue: QUEUES.challenges,
    payload: z.object({
      invitationId: uuid,
      /** Set by an operator's replay of a failed webhook: a fresh series of attempts. */
      replay: z.number().int().positive().optional(),
    }),
    jobId: (p) =>
      p.replay === undefined
        ? `deliver-invitation.${p.invitationId}`
        : `deliver-invitation.${p.invitationId}.replay.${p.replay}`,
    options: (config) => ({
      attempts: config.leads.webhook.attempts,
      backoff: { type: 'exponential', delay: config.leads.webhook.backoffMs },
      ...KEEP_DAY,
    }),
  }),
  /** Open challenges past their deadline move to reviewing (a delayed job lost with Redis's data). */
  'review-due-challenges': define({ queue: QUEUES.challenges, payload: none, everyMs: 60_000 }),
  /** Stored answers of idempotency keys older than IDEMPOTENCY_TTL_HOURS are deleted. */
  'expire-idempotency-keys': define({ queue: QUEUES.maintenance, payload: none, everyMs: 600_000 }),
  /** Relayed outbox rows older than a week are deleted. */
  'prune-outbox': define({ queue: QUEUES.maintenance, payload: none, everyMs: 3_600_000 }),
};

export type JobName = keyof typeof JOB_DEFINITIONS;
export type PayloadOf<N extends JobName> = z.infer<(typeof JOB_DEFINITIONS)[N]['payload']>;
/** The jobs of one queue. */
export type JobOf<Q extends QueueName> = {
  [N in JobName]: (typeof JOB_DEFINITIONS)[N]['queue'] extends Q ? N : never;
}[JobName];
/** The jobs written through the outbox (scheduled ones are not). */
export type OutboxJob = {
  [N in JobName]: (typeof JOB_DEFINITIONS)[N] extends { everyMs: number } ? never : N;
}[JobName];
export interface JobRequest<N extends OutboxJob = OutboxJob> {
  name: N;
  payload: PayloadOf<N>;
}

export type EmbedProfilePayload = PayloadOf<'embed-profile'>;
export type GenerateLeadsPayload = PayloadOf<'generate-leads'>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_DEFINITIONS, name);
}

export function jobsOf(queue: QueueName): JobName[] {
  return (Object.keys(JOB_DEFINITIONS) as JobName[]).filter((n) => JOB_DEFINITIONS[n].queue === queue);
}
