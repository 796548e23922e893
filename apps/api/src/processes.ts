import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@app/observability';
import { serveClusterMetrics } from '@app/observability';

/** What an API process tells the primary when its index is first ready. */
export const INDEX_READY = { type: 'techtransfer:index-ready' };

/**
 * The primary of API_PROCESSES > 1: starts that many API processes sharing the port (node:cluster hands the
 * connections round), each told its index (API_PROCESS_INDEX: 0 writes the index snapshots, the others start from
 * them and listen only once their index is ready), logs "API processes ready" when all are, restarts one that dies, gathers their metrics for /metrics, and on SIGTERM or SIGINT stops them all
 * gracefully before it exits. The rate limits are counted in Redis, so they hold across the processes.
 */
export function superviseApiProcesses(count: number, log: Logger): void {
  let stopping = false;
  let othersStarted = false;
  const ready = new Set<number>();
  const processes = new Map<number, Worker>();
  const start = (index: number) => {
    const worker = cluster.fork({ API_PROCESS_INDEX: String(index) });
    processes.set(index, worker);
    worker.on('message', (message: { type?: string }) => {
      if (message?.type !== INDEX_READY.type) return;
      ready.add(index);
      if (ready.size === count) log.info({ processes: count }, 'API processes ready');
      if (index !== 0 || othersStarted) return;
      othersStarted = true;
      for (let i = 1; i < count; i++) start(i);
    });
    worker.on('exit', (code, signal) => {
      processes.delete(index);
      ready.delete(index);
      if (stopping) {
        if (processes.size === 0) process.exit(0);
        return;
      }
      log.error({ process: index, code, signal }, 'API process died; starting another');
      setTimeout(() => start(index), 1_000);
    });
  };
  serveClusterMetrics();
  // The first alone until its index is ready: it starts an embedded PostgreSQL if one is needed, migrates the
  // database, and writes the index snapshot that the others then load instead of building theirs from PostgreSQL.
  start(0);
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of processes.values()) worker.process.kill('SIGTERM');
    if (processes.size === 0) process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
