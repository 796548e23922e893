/**
 * The one definition of the vector arithmetic the service uses: unit length (every stored vector is one, so a dot
 * product is a cosine similarity) and the bytes a vector is stored as (float32, little-endian as the machine).
 */

/** Scales `v` to unit length in place and returns it; a zero vector stays zero. */
export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/** A unit-length copy of `v`. */
export function normalised(v: Float32Array): Float32Array {
  return l2Normalise(Float32Array.from(v));
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The bytes a vector is stored as (a view, not a copy). */
export function vectorToBytes(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A vector from stored bytes (a copy: a Buffer from pg may share a pool and start at any offset). */
export function vectorFromBytes(b: Buffer): Float32Array {
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
