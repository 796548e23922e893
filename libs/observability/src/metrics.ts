import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, served by the API on /metrics (summed over the API processes). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** State of the whole system (queues, outbox), read at scrape time by the process that serves it: never summed. */
export const systemRegistry = new Registry();

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
  registers: [systemRegistry],
});

export const indexSize = new Gauge({
  name: 'search_index_vectors',
  help: 'Vectors in the search index, by kind of profile (of several API processes, the one furthest behind)',
  labelNames: ['kind'],
  registers: [metricsRegistry],
  aggregator: 'min',
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
  registers: [systemRegistry],
});

// Several API processes (API_PROCESSES) answer one /metrics: the process a scrape reaches asks the primary, which
// gathers every process's metricsRegistry (prom-client's AggregatorRegistry, over the cluster's IPC channel).
const ASK = 'techtransfer:metrics?';
const ANSWER = 'techtransfer:metrics';
if (cluster.isWorker) {
  // prom-client answers the primary's requests once an AggregatorRegistry exists in the process (its constructor
  // adds the listener), with the registries given here.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metricsRegistry]);
}

/** The primary's side: answers its processes' requests for the metrics of all of them. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      (e: Error) => worker.send({ type: ANSWER, id: message.id, error: e.message }),
    );
  });
}

let asked = 0;

/** Every API process's metrics (this one's alone when it is the only one), then the system's. */
export async function scrapeMetrics(): Promise<string> {
  const processes = cluster.isWorker && process.send ? await askPrimary() : await metricsRegistry.metrics();
  return `${processes}\n${await systemRegistry.metrics()}`;
}

function askPrimary(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary API process did not answer for the metrics'));
    }, 5_000);
    const onMessage = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text!);
    };
    process.on('message', onMessage);
    process.send!({ type: ASK, id });
  });
}
