import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelIntegrityError, ModelNotFoundError } from './embedding.errors';

/** One entry of models/manifest.json. */
interface ManifestEntry {
  description: string;
  dtype: 'q8' | 'fp32';
  file: string;
  sha256: string;
  dimension: number;
  maxTokens: number;
  pooling: 'cls';
  /** The model's published retrieval instruction for short queries; whether it is used is configuration. */
  queryInstruction: string;
}

/** A model found in models/ and verified against its checksum. */
export interface ModelSpec extends ManifestEntry {
  name: string;
  modelsDir: string;
  /**
   * Recorded with every stored vector. It changes whenever the weights change, so vectors from two different
   * models are never compared: a stored vector whose modelId differs from the running one must be re-embedded.
   */
  id: string;
}

export async function resolveModel(modelsDir: string, name: string): Promise<ModelSpec> {
  const manifest = JSON.parse(await readFile(join(modelsDir, 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestEntry
  >;
  const entry = manifest[name];
  if (!entry) throw new ModelNotFoundError(name, modelsDir);
  const file = join(modelsDir, name, entry.file);
  const actual = await sha256(file);
  if (actual !== entry.sha256) throw new ModelIntegrityError(file, entry.sha256, actual);
  return { ...entry, name, modelsDir, id: `${name}:${entry.dtype}:${entry.sha256.slice(0, 12)}` };
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
