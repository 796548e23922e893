/**
 * Filtered search at 50,000 512-d vectors: the cost of HNSW with the filter inside the walk, and of an exact scan
 * of the eligible records, as the share of eligible records falls; the crossover sets INDEX_EXACT_SCAN_BELOW.
 *
 *   npm run bench:filter [-- --count 50000 --queries 200]
 */
import { Command } from 'commander';
import { DEFAULT_HNSW, VectorCollection } from '@app/vector-index';
import { percentile } from './lib/stats';
import { clusteredVectors } from './lib/synthetic';

const program = new Command()
  .option('--count <n>', 'vectors', '50000')
  .option('--queries <n>', 'queries per cell', '200')
  .parse();

function main(): void {
  const opts = program.opts<{ count: string; queries: string }>();
  const count = Number(opts.count);
  const vectors = clusteredVectors(count + Number(opts.queries), 512);
  // exactScanBelow 0 forces the graph walk; the exact scan is timed separately on the same filter.
  const index = new VectorCollection<{ bucket: number }>(
    512,
    { m: 16, efConstruction: 200, efSearch: 64, exactScanBelow: 0 },
    count,
  );
  let started = performance.now();
  for (let i = 0; i < count; i++) index.upsert(String(i), vectors[i], { bucket: i % 1000 });
  console.log(`built ${count} vectors in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const queries = vectors.slice(count);

  console.log(
    `eligible  records   filtered HNSW p50 / p95 ms  recall@10   exact scan p50 / p95 ms   plan chosen at ${DEFAULT_HNSW.exactScanBelow}`,
  );
  for (const share of [1, 0.1, 0.02, 0.01, 0.004, 0.001]) {
    const buckets = Math.round(share * 1000);
    const filter = (m: { bucket: number }) => m.bucket < buckets;
    const hnsw: number[] = [];
    const exact: number[] = [];
    let found = 0;
    let walk = '';
    for (const q of queries) {
      started = performance.now();
      const { hits: approx, plan } = index.search(q, 10, filter);
      hnsw.push(performance.now() - started);
      walk = plan === 'post-filtered-hnsw' ? 'HNSW, filtered after' : 'filtered HNSW';
      started = performance.now();
      const truth = index.exactSearch(q, 10, filter);
      exact.push(performance.now() - started);
      const ids = new Set(truth.map((h) => h.id));
      found += approx.filter((h) => ids.has(h.id)).length / truth.length;
    }
    const eligible = Math.round(share * count);
    hnsw.sort((a, b) => a - b);
    exact.sort((a, b) => a - b);
    console.log(
      `${(share * 100).toFixed(1).padStart(6)}%  ${String(eligible).padStart(7)}   ` +
        `${percentile(hnsw, 50).toFixed(2).padStart(8)} / ${percentile(hnsw, 95).toFixed(2).padStart(6)}        ` +
        `${(found / queries.length).toFixed(3)}     ${percentile(exact, 50).toFixed(2).padStart(8)} / ${percentile(exact, 95).toFixed(2).padStart(6)}        ` +
        `${eligible <= DEFAULT_HNSW.exactScanBelow ? 'exact' : walk}`,
    );
  }
}

main();
