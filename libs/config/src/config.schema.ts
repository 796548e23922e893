import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT as repoRoot } from './repo-root';

export const WEIGHT_NAMES = [
  'semantic',
  'keywords',
  'industry',
  'region',
  'readiness',
  'price',
  'cooperation',
  'green',
] as const;

/** The factors of broker assignment (libs/leads/src/broker-assignment.ts). */
export const ASSIGNMENT_FACTORS = ['expertise', 'industry', 'region', 'load', 'acceptance', 'speed', 'credit'] as const;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A JSON object of weights by name, each 0..10; the names given replace their defaults. */
const weightsJson = <N extends string>(names: readonly [N, ...N[]]) =>
  z
    .string()
    .optional()
    .transform((s, ctx): Partial<Record<N, number>> => {
      if (!s) return {};
      try {
        return z.partialRecord(z.enum(names), z.number().min(0).max(10)).parse(JSON.parse(s));
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `must be a JSON object of weights: ${(e as Error).message}` });
        return z.NEVER;
      }
    });

/** A comma-separated list, items trimmed, empty items dropped. */
const commaList = (item: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((i) => i.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

// Internal webhook receivers an operator vouches for: a host name (exactly, any letter case), an IP address or a CIDR.
const allowedHost = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.hostname()], {
  error: 'each item must be a host name, an IP address or a CIDR',
});
// A DNS server as node:dns setServers takes it: an address with an optional port ("127.0.0.1:5353", "[::1]:53").
const dnsServer = z.union(
  [z.ipv4(), z.ipv6(), z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\]):\d{1,5}$/i)],
  {
    error: 'each item must be an IP address, optionally with a port (1.2.3.4:53, [::1]:53)',
  },
);

/** Every environment variable the service reads, with its default. The README's configuration table mirrors it. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Loopback unless told otherwise: a service reachable from the network is a choice (0.0.0.0, or an address).
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(1, 65535).default(3000),
  // Requests a minute per API key, across all routes; and per client address for requests without a valid key.
  RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(600),
  RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: integer(1, 1_000_000).default(60),
  // A new API key expires this many days after its creation unless its creation says otherwise.
  API_KEY_TTL_DAYS: integer(1, 3650).default(365),
  // Bearer token /metrics asks for; unset, /metrics answers requests from loopback addresses only.
  METRICS_TOKEN: z.string().min(16).optional(),
  // How long an Idempotency-Key's answer is kept for retries; older keys are deleted by a job.
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(24 * 365)
    .default(24),
  IMPORT_MAX_BYTES: integer(1024, 10 * 1024 ** 3).default(200 * 1024 ** 2),
  // API processes sharing the port (node:cluster), each with its own copy of the index; one per core by default.
  API_PROCESSES: integer(1, 64).default(availableParallelism()),
  // Set by the API for each process it starts (0 to API_PROCESSES - 1); process 0 writes the index snapshots.
  API_PROCESS_INDEX: integer(0, 63).default(0),
  // The API process also runs the background jobs (single-machine default); set false when workers run apart.
  RUN_WORKER: z.stringbool().default(true),
  // Empty disables snapshots (each start then rebuilds the index from PostgreSQL).
  INDEX_SNAPSHOT_DIR: z.string().default(resolve(repoRoot, '.data/index')),
  INDEX_M: integer(4, 128).default(16),
  INDEX_EF_CONSTRUCTION: integer(10, 2000).default(200),
  // 128: recall@10 0.9975 in bench:match at 100k clustered vectors, against 0.96 at 64 (README).
  INDEX_EF_SEARCH: integer(10, 2000).default(128),
  // At most this many eligible records: exact scan instead of filtered HNSW (bench:filter shows the crossover).
  INDEX_EXACT_SCAN_BELOW: integer(0, 100_000_000).default(2000),
  INDEX_SYNC_MS: integer(100, 3_600_000).default(1000),
  // Records per kind kept in memory for scoring and showing candidates (0: read each from PostgreSQL every time).
  INDEX_RECORD_CACHE: integer(0, 10_000_000).default(20_000),
  INDEX_SNAPSHOT_EVERY_MS: integer(10_000, 86_400_000).default(600_000),
  // JSON object of score weights (semantic, keywords, industry, region, readiness, price, cooperation, green); the
  // ones given replace the defaults of libs/matching/src/scoring.ts.
  MATCH_WEIGHTS: weightsJson(WEIGHT_NAMES),
  MATCH_CANDIDATES: integer(10, 1000).default(30),
  // Hybrid search: weight of the dense ranking against 1 for BM25 in rank fusion (docs/measurements.md, "Retrieval quality": why 3).
  SEARCH_DENSE_WEIGHT: z.coerce.number().min(0).max(100).default(3),
  // A match at or above this total score becomes a lead (README, "Leads").
  LEAD_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.6),
  // Once a fitted weight version is active, a match becomes a lead when its predicted acceptance is at least this.
  LEAD_MIN_PROBABILITY: z.coerce.number().min(0).max(1).default(0.3),
  // Share of the candidates just below the bar sent to brokers anyway, marked exploratory, so the learner sees them.
  LEAD_EXPLORATION_SHARE: z.coerce.number().min(0).max(0.5).default(0.05),
  // How far below the bar (in score or probability) a candidate may be and still be explored.
  LEAD_EXPLORATION_MARGIN: z.coerce.number().min(0).max(1).default(0.15),
  // learn-weights: how often it runs, the outcomes a version needs before it may be switched on, the pull toward the
  // configured weights (in outcomes), and the largest weight it may give one part (of weights summing to 1).
  LEARN_EVERY_MS: integer(60_000, 30 * 86_400_000).default(86_400_000),
  LEARN_MIN_OUTCOMES: integer(10, 1_000_000).default(200),
  LEARN_PRIOR_OUTCOMES: integer(0, 100_000).default(100),
  LEARN_MAX_WEIGHT: z.coerce.number().min(0.2).max(1).default(0.6),
  // At most this many leads from one new or changed demand or achievement, per direction.
  LEADS_PER_PROFILE: integer(0, 100).default(5),
  // Owners of the best-matching achievements and experts invited when a challenge opens (one per organisation).
  CHALLENGE_INVITATIONS: integer(0, 100).default(10),
  // An offered lead not accepted within this time goes to the next eligible broker (default 48 h).
  LEAD_OFFER_TTL_MS: integer(1000, 30 * 86_400_000).default(48 * 3_600_000),
  // JSON object of broker assignment weights (expertise, industry, region, load, acceptance, speed); the ones given
  // replace the defaults of libs/config/src/app-config.ts (docs/reference.md, "Who gets it").
  BROKER_WEIGHTS: weightsJson(ASSIGNMENT_FACTORS),
  // An accepted lead without a move for this long counts against its broker's credit record (default 14 days).
  CREDIT_IDLE_HOURS: integer(1, 24 * 365).default(336),
  // Transfer organisations whose credit score is below this are left out of the yearly ranking (and it says so).
  CREDIT_RANKING_MIN_SCORE: integer(0, 100).default(60),
  // Broker assignment takes the brokers' credit scores at most this old (they are read for every broker, under the
  // assignment lock: docs/measurements.md, "Reading credit"); 0 reads them for every offer.
  CREDIT_ASSIGNMENT_MAX_AGE_SECONDS: integer(0, 86_400).default(60),
  // Offers of one lead before it is escalated to the operators' queue.
  LEAD_MAX_OFFERS: integer(1, 20).default(3),
  // How often the relay looks for jobs written to the outbox (each commit is seen within this time).
  OUTBOX_POLL_MS: integer(50, 60_000).default(500),
  // Attempts of one embed-profile job (exponential backoff from 2 s) before the record is marked failed.
  EMBED_ATTEMPTS: integer(1, 30).default(5),
  WEBHOOK_ATTEMPTS: integer(1, 30).default(8),
  WEBHOOK_BACKOFF_MS: integer(100, 3_600_000).default(5_000),
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  // Webhooks reach public addresses only; these internal hosts are allowed too (none by default: README, "Webhooks
  // and SSRF"). Host names match exactly; addresses and CIDRs match what a name resolves to.
  WEBHOOK_ALLOWED_HOSTS: commaList(allowedHost),
  // DNS servers webhook host names are resolved through (node:dns Resolver); unset: the system resolver (getaddrinfo).
  WEBHOOK_DNS_SERVERS: commaList(dnsServer),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default(resolve(repoRoot, '.data/postgres')),
  EMBEDDED_PG_PORT: integer(1, 65535).default(54329),
  // Redis for the queues (BullMQ), rate limits and index notices; unset, they all live in PostgreSQL (JOBS_BACKEND).
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Where jobs, rate limits and index notices live; unset: redis when REDIS_URL is set, else postgres.
  JOBS_BACKEND: z.enum(['redis', 'postgres']).optional(),
  MODELS_DIR: z.string().min(1).default(resolve(repoRoot, 'models')),
  EMBEDDING_MODEL: z.string().min(1).default('bge-small-zh-v1.5'),
  // 1 by default: with the int8 model a vector depends on the other texts of its batch (models/README.md).
  EMBEDDING_BATCH_SIZE: integer(1, 256).default(1),
  EMBEDDING_THREADS: integer(0, 64).default(0),
  // Threads that embed queries off the event loop (0: on it); their intra-op threads share the cores out unless
  // EMBEDDING_THREADS says otherwise. Past EMBEDDING_QUERY_QUEUE waiting queries a search is answered 503.
  EMBEDDING_QUERY_WORKERS: integer(0, 16).default(1),
  EMBEDDING_QUERY_QUEUE: integer(1, 10_000).default(64),
  // Threads that embed passages (the worker's jobs) off its event loop (0: on it), the cores shared out among them,
  // with EMBED_CONCURRENCY jobs in flight so that one job's database round trips overlap another's inference
  // (bench:import on 2 cores: 0.79x raw with 2 threads and 4 jobs, 0.41x with the model on the event loop, one job).
  EMBEDDING_PASSAGE_WORKERS: integer(0, 16).default(2),
  EMBED_CONCURRENCY: integer(1, 64).default(4),
  // Unset: the model's own retrieval instruction (models/manifest.json). Set to an empty string to disable it.
  EMBEDDING_QUERY_INSTRUCTION: z.string().optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
