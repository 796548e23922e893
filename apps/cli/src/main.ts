/**
 * The operator's command line: migrations, organisations, API keys and bulk import.
 *
 *   npm run cli -- migrate
 *   npm run cli -- org create --kind enterprise --name 湖州某电池公司 --region 330502
 *   npm run cli -- key create --role enterprise --organisation <id>
 *   npm run cli -- broker create --organisation <id> --name 李经纪 --expertise 新能源领域技术转移
 *   npm run cli -- import --kind achievement --file catalogue.jsonl --organisation <id>
 */
import 'reflect-metadata';
import { createReadStream, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ApiKeysService, ROLES, type Role } from '@app/access';
import { LOGGER, type Logger } from '@app/observability';
import { DATABASE_CONNECTION, runMigrations, type DatabaseConnection } from '@app/persistence';
import {
  ORGANISATION_KINDS,
  OrganisationsService,
  ProfileImportService,
  ProfilesService,
  type ImportKind,
  type OrganisationKind,
} from '@app/profiles';
import { SearchIndexService } from '@app/vector-index';
import { CliIndexModule, CliModule } from './cli.module';

async function withContext<T>(
  work: (get: <S>(token: unknown) => S) => Promise<T>,
  module: Type = CliModule,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
  try {
    return await work((token) => app.get(token as string));
  } finally {
    await app.close();
  }
}

const SYSTEM = {
  apiKeyId: 'cli',
  role: 'admin' as Role,
  organisationId: null,
  brokerId: null,
};

const program = new Command('techtransfer').description('Operator commands of the matchmaking service');

program
  .command('migrate')
  .description('apply the SQL migrations the database has not seen')
  .action(() =>
    withContext(async (get) => {
      const applied = await runMigrations(get<DatabaseConnection>(DATABASE_CONNECTION).url, get<Logger>(LOGGER));
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    }),
  );

const org = program.command('org').description('organisations');
org
  .command('create')
  .addOption(new Option('--kind <kind>').choices(ORGANISATION_KINDS).makeOptionMandatory())
  .requiredOption('--name <name>')
  .requiredOption('--region <code>', 'GB/T 2260 region code, e.g. 330502')
  .option('--credit-code <code>', 'unified social credit code')
  .action((o: { kind: OrganisationKind; name: string; region: string; creditCode?: string }) =>
    withContext(async (get) => {
      const created = await get<OrganisationsService>(OrganisationsService).create('system', {
        kind: o.kind,
        name: o.name,
        regionCode: o.region,
        creditCode: o.creditCode,
      });
      console.log(JSON.stringify(created, null, 2));
    }),
  );

const key = program.command('key').description('API keys');
key
  .command('create')
  .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
  .option('--organisation <id>')
  .option('--broker <id>', 'the broker a broker key acts for')
  .option('--label <text>')
  .addOption(
    new Option('--expires-in-days <days>', 'days until it expires (default API_KEY_TTL_DAYS, 365)').argParser((v) => {
      const days = Number(v);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new InvalidArgumentError('1 to 3650 days');
      return days;
    }),
  )
  .action((o: { role: Role; organisation?: string; broker?: string; label?: string; expiresInDays?: number }) =>
    withContext(async (get) => {
      const created = await get<ApiKeysService>(ApiKeysService).create('system', {
        role: o.role,
        organisationId: o.organisation,
        brokerId: o.broker,
        label: o.label,
        expiresInDays: o.expiresInDays,
      });
      console.log(JSON.stringify(created, null, 2));
      console.error('The secret is shown only now: store it.');
    }),
  );

// A broker key acts for a broker of its transfer organisation: the broker comes first.
program
  .command('broker')
  .description('brokers')
  .command('create')
  .requiredOption('--organisation <id>', 'the transfer organisation the broker works for')
  .requiredOption('--name <name>')
  .requiredOption('--expertise <text>')
  .option('--region <code...>', 'GB/T 2260 region codes the broker covers')
  .action((o: { organisation: string; name: string; expertise: string; region?: string[] }) =>
    withContext(async (get) => {
      const created = await get<ProfilesService>(ProfilesService).create(SYSTEM, 'broker', {
        organisationId: o.organisation,
        name: o.name,
        expertise: o.expertise,
        regionCodes: o.region,
      });
      console.log(JSON.stringify(created, null, 2));
    }),
  );

program
  .command('import')
  .description('bulk import achievements or demands from JSON Lines or CSV')
  .addOption(new Option('--kind <kind>').choices(['achievement', 'demand']).makeOptionMandatory())
  .requiredOption('--file <path>')
  .requiredOption('--organisation <id>', 'owner of the imported records')
  .addOption(new Option('--format <format>').choices(['jsonl', 'csv']))
  .action((o: { kind: ImportKind; file: string; organisation: string; format?: 'jsonl' | 'csv' }) =>
    withContext(async (get) => {
      const format = o.format ?? (o.file.endsWith('.csv') ? 'csv' : 'jsonl');
      const bar = new SingleBar(
        { format: 'import |{bar}| {percentage}% | {rows} rows | {eta_formatted} left', etaBuffer: 50 },
        Presets.shades_classic,
      );
      let rows = 0;
      let bytes = 0;
      bar.start(statSync(o.file).size, 0, { rows });
      // The bar counts the bytes as the importer reads them. A 'data' listener on the file stream instead switched it
      // to flowing mode before the importer (busy checking the organisation) attached: the file was read to its end
      // into nobody, and the import waited forever for rows.
      const counted = new Transform({
        transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback) {
          bytes += chunk.length;
          bar.update(bytes, { rows });
          done(null, chunk);
        },
      });
      const input = createReadStream(o.file).on('error', (e) => counted.destroy(e));
      const summary = await get<ProfileImportService>(ProfileImportService).import(
        SYSTEM,
        o.kind,
        format,
        input.pipe(counted),
        { organisationId: o.organisation, onProgress: (read) => (rows = read) },
      );
      bar.update(bytes, { rows });
      bar.stop();
      console.log(
        `accepted ${summary.accepted} (${summary.updated} updated by externalId), rejected ${summary.rejected}`,
      );
      for (const [reason, count] of Object.entries(summary.rejectedByReason).sort((a, b) => b[1] - a[1])) {
        console.log(`  ${String(count).padStart(6)}  ${reason}`);
      }
      if (summary.rejectedRows.length > 0)
        console.log(`rejected lines: ${summary.rejectedRows.map((r) => r.line).join(', ')}`);
      if (summary.fatal) {
        console.log(
          `stopped at line ${summary.fatal.line}: ${summary.fatal.reason}; the lines before it are counted above`,
        );
        process.exitCode = 2;
      }
    }),
  );

program
  .command('index')
  .description('search index')
  .command('rebuild')
  .description('rebuild the search index snapshot from PostgreSQL (after a model change or a lost snapshot)')
  .action(() =>
    withContext(async (get) => {
      const index = get<SearchIndexService>(SearchIndexService);
      const started = Date.now();
      await index.rebuild();
      console.log(`rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(index.sizes())}`);
    }, CliIndexModule),
  );

program.parseAsync().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
