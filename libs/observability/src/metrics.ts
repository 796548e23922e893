import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, served by the API on /metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestSeconds = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const embeddingsTotal = new Counter({
  name: 'embeddings_total',
  help: 'Profiles embedded, by kind and outcome',
  labelNames: ['kind', 'outcome'],
  registers: [metricsRegistry],
});

export const embeddingSeconds = new Histogram({
  name: 'embedding_duration_seconds',
  help: 'Time to embed one profile text',
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [metricsRegistry],
});

export const queueJobs = new Gauge({
  name: 'queue_jobs',
  help: 'Jobs in a queue, by state',
  labelNames: ['queue', 'state'],
  registers: [metricsRegistry],
});

export const indexSize = new Gauge({
  name: 'search_index_vectors',
  help: "Vectors in this process's search index, by kind of profile",
  labelNames: ['kind'],
  registers: [metricsRegistry],
});

export const leadsCreated = new Counter({
  name: 'leads_created_total',
  help: 'Leads created, by origin (matching, manual)',
  labelNames: ['origin'],
  registers: [metricsRegistry],
});

export const leadTransitions = new Counter({
  name: 'lead_transitions_total',
  help: 'Lead state changes, by the state reached',
  labelNames: ['to'],
  registers: [metricsRegistry],
});

export const leadDeliveries = new Counter({
  name: 'lead_deliveries_total',
  help: 'Offer deliveries, by channel (inbox, webhook) and outcome (delivered, retry, failed)',
  labelNames: ['channel', 'outcome'],
  registers: [metricsRegistry],
});

export const outboxBacklog = new Gauge({
  name: 'outbox_backlog',
  help: 'Outbox rows not yet relayed to the queues',
  registers: [metricsRegistry],
});
