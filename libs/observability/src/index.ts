// Owns how the processes are observed: the structured JSON logger (request ids, redaction) and the Prometheus metrics.
// It must not decide anything about the domain; other libs take the LOGGER and make a child of it.
export { createRootLogger, httpLoggerOptions, type Logger } from './logger';
export { LOGGER, ObservabilityModule } from './observability.module';
export {
  embeddingSeconds,
  embeddingsTotal,
  httpRequestSeconds,
  indexSize,
  leadDeliveries,
  leadsCreated,
  leadTransitions,
  metricsRegistry,
  outboxBacklog,
  queueJobs,
  scrapeMetrics,
  serveClusterMetrics,
  systemRegistry,
} from './metrics';
