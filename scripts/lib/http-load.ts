/**
 * What the HTTP benchmarks share: the catalogue they store (a university's achievements with their vectors, an
 * enterprise's demands and its API key, written straight to PostgreSQL), closed-loop clients, and latency summaries.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import type { CslPaper } from './csl';
import { percentile } from './stats';

/** Demands stored with every catalogue (the last DEMANDS of the vectors given). */
export const DEMANDS = 200;

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export const latency = (values: number[]): Latency => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p) * 10) / 10;
  return { p50: at(50), p95: at(95), p99: at(99) };
};

/**
 * Closed-loop clients: each sends its next request when the last answer is in. node:http with keep-alive rather
 * than fetch, whose own cost per request (twice node:http's against a bare Node server on this machine) would be
 * counted as the API's: the load generator shares the two cores with the API and PostgreSQL. `next` is called
 * for each next request (a path to GET, or a path and a JSON body to POST) until it returns undefined.
 */
export type LoadRequest = string | { path: string; body: unknown };

export async function load(
  url: string,
  key: string,
  next: () => LoadRequest | undefined,
  concurrency: number,
  onBody?: (path: string, body: string) => void,
): Promise<{ latencies: number[]; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(url);
  const send = (path: string, payload?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = { 'X-Api-Key': key, ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }) };
      const method = payload === undefined ? 'GET' : 'POST';
      const req = request({ host: hostname, port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => onBody && chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const latencies: number[] = [];
  const started = performance.now();
  const client = async () => {
    for (let req = next(); req !== undefined; req = next()) {
      const [path, payload] = typeof req === 'string' ? [req] : [req.path, JSON.stringify(req.body)];
      const sent = performance.now();
      const { status, body } = await send(path, payload);
      if (status !== 200) throw new Error(`${path}: ${status} ${body.slice(0, 200)}`);
      latencies.push(performance.now() - sent);
      onBody?.(path, body);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

export const each = (requests: LoadRequest[]) => {
  let i = 0;
  return () => requests[i++];
};

/** GB/T 4754 divisions the catalogue's achievements are filed under, one per vector cluster modulo their number. */
const INDUSTRIES = [
  '13',
  '14',
  '17',
  '26',
  '27',
  '29',
  '30',
  '31',
  '33',
  '34',
  '35',
  '36',
  '38',
  '39',
  '40',
  '44',
  '63',
  '65',
  '73',
  '77',
];
const MODES = ['licence', 'transfer', 'joint_development', 'service'];

/**
 * The catalogue: a university with `size` achievements (industry and cooperation modes by vector cluster, so the
 * demand assistant has labels to vote with), an enterprise with 200 demands and its API key.
 */
export async function storeCatalogue(
  databaseUrl: string,
  vectors: Float32Array[],
  papers: CslPaper[],
  modelId: string,
) {
  const size = vectors.length - DEMANDS;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const org = async (kind: string, region: string) =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO organisations (kind, name, region_code) VALUES ($1, 'bench-match', $2) RETURNING id`,
        [kind, region],
      )
    ).rows[0].id;
  const [university, enterprise] = [await org('university', '330100'), await org('enterprise', '330502')];
  const prefix = randomBytes(4).toString('hex');
  const key = `tt_${prefix}_${randomBytes(24).toString('base64url')}`;
  await db.query(
    `INSERT INTO api_keys (secret_hash, prefix, role, organisation_id, label) VALUES ($1, $2, 'enterprise', $3, 'bench')`,
    [createHash('sha256').update(key).digest(), prefix, enterprise],
  );
  const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  for (let from = 0; from < size; from += 2000) {
    const rows = Array.from({ length: Math.min(2000, size - from) }, (_, i) => from + i);
    await db.query(
      `INSERT INTO achievements (organisation_id, title, abstract, readiness_level, industry_code, cooperation_modes,
         region_code, content_hash, embedding, embedding_model, embedding_status, embedded_at)
       SELECT $1, t, a, 1 + (n % 9), ($7::text[])[1 + n % 100 % cardinality($7)],
         ARRAY[($8::text[])[1 + n % 100 % cardinality($8)]], '330100', md5(t), e, $2, 'ready', now()
       FROM unnest($3::text[], $4::text[], $5::int[], $6::bytea[]) AS u(t, a, n, e)`,
      [
        university,
        modelId,
        rows.map((i) => `${papers[i % papers.length].title}（${i}）`),
        rows.map((i) => papers[i % papers.length].abstract),
        rows,
        rows.map((i) => bytes(vectors[i])),
        INDUSTRIES,
        MODES,
      ],
    );
  }
  const demandIds = (
    await db.query<{ id: string }>(
      `INSERT INTO demands (organisation_id, title, description, region_code, content_hash, embedding, embedding_model,
         embedding_status, embedded_at)
       SELECT $1, '需求 ' || n, '合成需求', '330502', md5(n::text), e, $2, 'ready', now()
       FROM unnest($3::int[], $4::bytea[]) AS u(n, e) RETURNING id`,
      [enterprise, modelId, Array.from({ length: DEMANDS }, (_, i) => i), vectors.slice(size).map(bytes)],
    )
  ).rows.map((r) => r.id);
  await db.query('ANALYZE achievements; ANALYZE demands');
  await db.end();
  return { key, demandIds };
}
