import { existsSync } from 'node:fs';
import { configSchema, type ASSIGNMENT_FACTORS, type WEIGHT_NAMES, type RawConfig } from './config.schema';

/** The default score weights (documented in the README); MATCH_WEIGHTS overrides any of them. */
export const DEFAULT_MATCH_WEIGHTS: Record<(typeof WEIGHT_NAMES)[number], number> = {
  semantic: 0.5,
  keywords: 0.25,
  industry: 0.1,
  region: 0.08,
  readiness: 0.07,
  price: 0.05,
  cooperation: 0.03,
  green: 0.02,
};

/** The default broker assignment weights (docs/reference.md); BROKER_WEIGHTS overrides any of them. */
export const DEFAULT_ASSIGNMENT_WEIGHTS: Record<(typeof ASSIGNMENT_FACTORS)[number], number> = {
  expertise: 0.33,
  industry: 0.14,
  region: 0.14,
  load: 0.14,
  acceptance: 0.1,
  speed: 0.07,
  credit: 0.08,
};

/** The validated configuration, grouped by concern. Secrets are marked so that `redacted()` can hide them. */
export interface AppConfig {
  env: RawConfig['NODE_ENV'];
  http: {
    host: string;
    port: number;
    /** API processes sharing the port, and which of them this one is (0 writes the index snapshots). */
    processes: number;
    processIndex: number;
    /** Per API key, across routes. */
    rateLimitPerMinute: number;
    /** Per client address, for requests without a valid key. */
    rateLimitUnauthenticatedPerMinute: number;
    importMaxBytes: number;
    idempotencyTtlHours: number;
    /** Asked of /metrics (secret); unset: loopback callers only. */
    metricsToken?: string;
  };
  access: { apiKeyTtlDays: number };
  /** Whether the API process runs the job processors too. */
  runWorker: boolean;
  log: { level: RawConfig['LOG_LEVEL'] };
  database: { url?: string; embedded: { dir: string; port: number } };
  /** Used only when jobs.backend is redis: REDIS_URL, or the default local address. */
  redis: { url: string };
  index: {
    snapshotDir: string;
    syncMs: number;
    /** Records per kind kept in memory for matching (read through from PostgreSQL). */
    recordCache: number;
    snapshotEveryMs: number;
    hnsw: { m: number; efConstruction: number; efSearch: number; exactScanBelow: number };
  };
  matching: {
    /** Score weights: defaults of libs/matching, overridden by MATCH_WEIGHTS. */
    weights: Record<(typeof WEIGHT_NAMES)[number], number>;
    /** Nearest neighbours scored per request. */
    candidates: number;
    /** Weight of the dense ranking in hybrid search (BM25: 1). */
    denseWeight: number;
  };
  challenges: { invitations: number };
  leads: {
    minScore: number;
    perProfile: number;
    offerTtlMs: number;
    maxOffers: number;
    /** Broker assignment weights: defaults above, overridden by BROKER_WEIGHTS. */
    assignmentWeights: Record<(typeof ASSIGNMENT_FACTORS)[number], number>;
    webhook: {
      attempts: number;
      backoffMs: number;
      /** Per call: resolving, connecting, sending and reading the answer. */
      timeoutMs: number;
      /** Internal receivers allowed despite the address policy: host names, and addresses or CIDRs. */
      allowedHosts: string[];
      /** DNS servers host names are resolved through; empty: the system resolver. */
      dnsServers: string[];
    };
  };
  credit: {
    /** Hours after which an accepted lead without a move is an event of its broker's record. */
    idleHours: number;
    /** Organisations scoring below this are left out of the yearly ranking. */
    rankingMinScore: number;
    /** How old the brokers' scores broker assignment takes may be. */
    assignmentMaxAgeMs: number;
  };
  learning: {
    everyMs: number;
    minOutcomes: number;
    priorOutcomes: number;
    maxWeight: number;
    minProbability: number;
    explorationShare: number;
    explorationMargin: number;
  };
  /** The outbox relay's poll interval, and how often a failing embedding is tried before the record is marked failed. */
  jobs: {
    /** redis: BullMQ queues, rate limits and index notices in Redis; postgres: all of them in PostgreSQL alone. */
    backend: 'redis' | 'postgres';
    outboxPollMs: number;
    embedAttempts: number;
  };
  embedding: {
    modelsDir: string;
    model: string;
    batchSize: number;
    /** 0 lets onnxruntime choose (one thread per core). */
    threads: number;
    /** Worker threads embedding queries (0: on the main thread), and the queries that may wait for one. */
    queryWorkers: number;
    queryQueue: number;
    /** Worker threads embedding passages (0: on the main thread), and the embedding jobs run at once. */
    passageWorkers: number;
    concurrency: number;
    /** Prefix for short queries against long passages; undefined = the model's own, empty = none (models/README.md). */
    queryInstruction?: string;
  };
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default) into an AppConfig, or throws a ConfigError naming each variable. */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    http: {
      host: c.HOST,
      port: c.PORT,
      processes: c.API_PROCESSES,
      processIndex: c.API_PROCESS_INDEX,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      rateLimitUnauthenticatedPerMinute: c.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE,
      importMaxBytes: c.IMPORT_MAX_BYTES,
      idempotencyTtlHours: c.IDEMPOTENCY_TTL_HOURS,
      metricsToken: c.METRICS_TOKEN,
    },
    access: { apiKeyTtlDays: c.API_KEY_TTL_DAYS },
    runWorker: c.RUN_WORKER,
    log: { level: c.LOG_LEVEL },
    database: { url: c.DATABASE_URL, embedded: { dir: c.EMBEDDED_PG_DIR, port: c.EMBEDDED_PG_PORT } },
    redis: { url: c.REDIS_URL ?? DEFAULT_REDIS_URL },
    matching: {
      weights: { ...DEFAULT_MATCH_WEIGHTS, ...c.MATCH_WEIGHTS },
      candidates: c.MATCH_CANDIDATES,
      denseWeight: c.SEARCH_DENSE_WEIGHT,
    },
    index: {
      snapshotDir: c.INDEX_SNAPSHOT_DIR,
      syncMs: c.INDEX_SYNC_MS,
      recordCache: c.INDEX_RECORD_CACHE,
      snapshotEveryMs: c.INDEX_SNAPSHOT_EVERY_MS,
      hnsw: {
        m: c.INDEX_M,
        efConstruction: c.INDEX_EF_CONSTRUCTION,
        efSearch: c.INDEX_EF_SEARCH,
        exactScanBelow: c.INDEX_EXACT_SCAN_BELOW,
      },
    },
    challenges: { invitations: c.CHALLENGE_INVITATIONS },
    leads: {
      minScore: c.LEAD_MIN_SCORE,
      perProfile: c.LEADS_PER_PROFILE,
      offerTtlMs: c.LEAD_OFFER_TTL_MS,
      maxOffers: c.LEAD_MAX_OFFERS,
      assignmentWeights: { ...DEFAULT_ASSIGNMENT_WEIGHTS, ...c.BROKER_WEIGHTS },
      webhook: {
        attempts: c.WEBHOOK_ATTEMPTS,
        backoffMs: c.WEBHOOK_BACKOFF_MS,
        timeoutMs: c.WEBHOOK_TIMEOUT_MS,
        allowedHosts: c.WEBHOOK_ALLOWED_HOSTS,
        dnsServers: c.WEBHOOK_DNS_SERVERS,
      },
    },
    credit: {
      idleHours: c.CREDIT_IDLE_HOURS,
      rankingMinScore: c.CREDIT_RANKING_MIN_SCORE,
      assignmentMaxAgeMs: c.CREDIT_ASSIGNMENT_MAX_AGE_SECONDS * 1000,
    },
    learning: {
      everyMs: c.LEARN_EVERY_MS,
      minOutcomes: c.LEARN_MIN_OUTCOMES,
      priorOutcomes: c.LEARN_PRIOR_OUTCOMES,
      maxWeight: c.LEARN_MAX_WEIGHT,
      minProbability: c.LEAD_MIN_PROBABILITY,
      explorationShare: c.LEAD_EXPLORATION_SHARE,
      explorationMargin: c.LEAD_EXPLORATION_MARGIN,
    },
    jobs: {
      backend: c.JOBS_BACKEND ?? (c.REDIS_URL ? 'redis' : 'postgres'),
      outboxPollMs: c.OUTBOX_POLL_MS,
      embedAttempts: c.EMBED_ATTEMPTS,
    },
    embedding: {
      modelsDir: c.MODELS_DIR,
      model: c.EMBEDDING_MODEL,
      batchSize: c.EMBEDDING_BATCH_SIZE,
      threads: c.EMBEDDING_THREADS,
      queryWorkers: c.EMBEDDING_QUERY_WORKERS,
      queryQueue: c.EMBEDDING_QUERY_QUEUE,
      passageWorkers: c.EMBEDDING_PASSAGE_WORKERS,
      concurrency: c.EMBED_CONCURRENCY,
      queryInstruction: c.EMBEDDING_QUERY_INSTRUCTION,
    },
  };
}

/** A copy safe to log: credentials in connection URLs and tokens are replaced. */
export function redacted(config: AppConfig): AppConfig {
  return {
    ...config,
    http: { ...config.http, metricsToken: config.http.metricsToken && '***' },
    database: { ...config.database, url: config.database.url && hidePassword(config.database.url) },
    redis: { ...config.redis, url: hidePassword(config.redis.url) },
  };
}

function hidePassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function readProcessEnv(): NodeJS.ProcessEnv {
  // A local .env is a developer convenience; real deployments set the environment.
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
