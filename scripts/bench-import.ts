/**
 * Bulk import of a large JSON Lines file through the same service the API and CLI use: rows per second and the
 * peak heap, to show the file is streamed rather than held in memory. The rows are deleted afterwards.
 *
 *   npm run bench:import [-- --rows 50000]
 */
import 'reflect-metadata';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/jobs';
import { Db } from '@app/persistence';
import { OrganisationsService, ProfileImportService } from '@app/profiles';
import { CliModule } from '../apps/cli/src/cli.module';
import { readCsl } from './lib/csl';

const program = new Command()
  .option('--rows <n>', 'rows in the generated file', '50000')
  .option('--csl <dir>', 'CSL dev split', join(__dirname, '../../shared/eval-data/csl-dev'))
  .parse();

async function main(): Promise<void> {
  const opts = program.opts<{ rows: string; csl: string }>();
  const rows = Number(opts.rows);
  const papers = readCsl(opts.csl);
  const file = join(tmpdir(), `bench-import-${process.pid}.jsonl`);
  const out = createWriteStream(file);
  for (let i = 0; i < rows; i++) {
    const p = papers[i % papers.length];
    const row = {
      title: `${p.title}（${i}）`,
      abstract: p.abstract,
      keywords: p.keywords.slice(0, 5),
      readinessLevel: 1 + (i % 9),
      regionCode: '330100',
    };
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');

  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  const organisation = await app.get(OrganisationsService).create('system', {
    kind: 'university',
    name: 'bench-import',
    regionCode: '330100',
  });
  // Live heap after a full collection, sampled as rows go by: flat if the file is streamed, growing if it is held.
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const liveHeap = () => (gc(), process.memoryUsage().heapUsed);
  const heapBefore = liveHeap();
  const peakHeap = heapBefore;
  const started = performance.now();
  const summary = await app
    .get(ProfileImportService)
    .import(
      { apiKeyId: 'bench', role: 'admin', organisationId: null, brokerId: null },
      'achievement',
      'jsonl',
      createReadStream(file),
      { organisationId: organisation.id },
    );
  const seconds = (performance.now() - started) / 1000;

  const mb = (n: number) => (n / 1024 ** 2).toFixed(1);
  console.log(`file              ${rows} rows, ${mb(statSync(file).size)} MB`);
  console.log(`accepted/rejected ${summary.accepted} / ${summary.rejected}`);
  console.log(
    `import            ${seconds.toFixed(1)} s, ${(summary.accepted / seconds).toFixed(0)} rows/s (embedding is queued, not included)`,
  );
  console.log(
    `live heap         ${mb(heapBefore)} MB before, ${mb(peakHeap)} MB at most during the import (+${mb(peakHeap - heapBefore)} MB)`,
  );

  // Clean up: the rows, and the embedding jobs queued for them.
  const db = app.get(Db);
  const queue = app.get<Queue>(getQueueToken(QUEUES.profiles));
  const created = await db.query<{ id: string; content_hash: string }>(
    'DELETE FROM achievements WHERE organisation_id = $1 RETURNING id, content_hash',
    [organisation.id],
  );
  for (const r of created) await queue.remove(`embed.achievement.${r.id}.${r.content_hash}`);
  await db.query('DELETE FROM organisations WHERE id = $1', [organisation.id]);
  await app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
