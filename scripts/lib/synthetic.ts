/**
 * Synthetic embeddings for benchmarks: unit vectors scattered around a number of random centres, the way real
 * embeddings of a catalogue cluster by topic. Deterministic for a seed.
 */
export function clusteredVectors(
  count: number,
  dimension: number,
  clusters = 100,
  spread = 0.35,
  seed = 7,
): Float32Array[] {
  const rand = gaussian(seed);
  const centres = Array.from({ length: clusters }, () => unit(Float32Array.from({ length: dimension }, rand)));
  return Array.from({ length: count }, (_, i) => {
    const c = centres[i % clusters];
    return unit(Float32Array.from(c, (x) => x + (spread / Math.sqrt(dimension)) * rand() * 3));
  });
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

/** Standard normal numbers from a seeded generator (mulberry32 + Box-Muller). */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}
