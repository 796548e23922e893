import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse';
import { ForbiddenError, mayWrite, type Actor } from '@app/access';
import { ProfileJobs, type EmbedProfilePayload } from '@app/jobs';
import { Db } from '@app/persistence';
import { CreateAchievementDto } from './dto/achievement.dto';
import { CreateDemandDto } from './dto/demand.dto';
import { validationProblems } from './dto/validation-problems';
import { contentHash, embeddingText } from './embedding-text';
import { OrganisationsService } from './organisations.service';
import { OrganisationRequiredError } from './profiles.errors';
import { ProfilesRepository } from './profiles.repository';

export type ImportKind = 'achievement' | 'demand';
export type ImportFormat = 'jsonl' | 'csv';

export interface ImportSummary {
  /** Rows written: new records, and records updated through their `externalId`. */
  accepted: number;
  updated: number;
  rejected: number;
  /** How many rows were refused for each reason (a reason names the field and the rule). */
  rejectedByReason: Record<string, number>;
  /** The first rejected rows, with their line numbers. */
  rejectedRows: { line: number; reasons: string[] }[];
}

const DTO: Record<ImportKind, new () => object> = { achievement: CreateAchievementDto, demand: CreateDemandDto };
const BATCH = 500;
const MAX_REJECTED_ROWS = 100;

// CSV cells are text: these columns are converted before validation. Lists are separated by "|".
const NUMBER_FIELDS = new Set([
  'readinessLevel',
  'askingPrice',
  'budgetMin',
  'budgetMax',
  'minReadinessLevel',
  'challengePrize',
]);
const BOOLEAN_FIELDS = new Set(['green', 'greenPreferred']);
const LIST_FIELDS = new Set(['keywords', 'cooperationModes', 'inventors', 'confidentialFields']);

/**
 * Bulk import of achievements or demands from JSON Lines or CSV, streamed: at most one batch of rows is held in
 * memory. Each row is validated by the same rules as the API; valid rows are written in transactions of 500 and
 * queued for embedding, invalid ones are counted by reason. A row is written whole or not at all.
 */
@Injectable()
export class ProfileImportService {
  constructor(
    private readonly db: Db,
    private readonly repository: ProfilesRepository,
    private readonly organisations: OrganisationsService,
    private readonly jobs: ProfileJobs,
  ) {}

  async import(
    actor: Actor,
    kind: ImportKind,
    format: ImportFormat,
    input: Readable,
    options: { organisationId?: string; onProgress?: (rowsRead: number) => void } = {},
  ): Promise<ImportSummary> {
    const organisationId = actor.role === 'admin' ? options.organisationId : (actor.organisationId ?? undefined);
    if (!organisationId) throw new OrganisationRequiredError();
    if (!mayWrite(actor, kind, organisationId)) throw new ForbiddenError(`import ${kind}s`);
    await this.organisations.requireOwnerOf(organisationId, kind);

    const summary: ImportSummary = { accepted: 0, updated: 0, rejected: 0, rejectedByReason: {}, rejectedRows: [] };
    const reject = (line: number, reasons: string[]) => {
      summary.rejected++;
      for (const r of reasons) summary.rejectedByReason[r] = (summary.rejectedByReason[r] ?? 0) + 1;
      if (summary.rejectedRows.length < MAX_REJECTED_ROWS) summary.rejectedRows.push({ line, reasons });
    };
    let batch: Record<string, unknown>[] = [];
    let rowsRead = 0;
    for await (const { line, row, error } of format === 'csv' ? csvRows(input) : jsonlRows(input)) {
      rowsRead++;
      if (error) reject(line, [error]);
      else {
        const problems = await this.check(kind, format === 'csv' ? fromCsv(row!) : row!);
        if (problems.length > 0) reject(line, problems);
        else batch.push(row!);
      }
      if (batch.length >= BATCH) {
        await this.write(kind, organisationId, batch, summary);
        batch = [];
      }
      if (rowsRead % 100 === 0) options.onProgress?.(rowsRead);
    }
    if (batch.length > 0) await this.write(kind, organisationId, batch, summary);
    options.onProgress?.(rowsRead);
    return summary;
  }

  private async check(kind: ImportKind, row: Record<string, unknown>): Promise<string[]> {
    if ('organisationId' in row) return ['organisationId: not allowed in an import row'];
    const dto = plainToInstance(DTO[kind], row);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    Object.assign(row, dto);
    return validationProblems(errors).flatMap((p) => Object.keys(p.constraints).map((rule) => `${p.field}: ${rule}`));
  }

  /** Writes a batch in one transaction: rows with an `externalId` the organisation used before update that record. */
  private async write(
    kind: ImportKind,
    organisationId: string,
    rows: Record<string, unknown>[],
    summary: ImportSummary,
  ): Promise<void> {
    let updated = 0;
    const jobs: EmbedProfilePayload[] = await this.db.transaction(async (tx) => {
      const written: EmbedProfilePayload[] = [];
      for (const row of rows) {
        const hash = contentHash(embeddingText(kind, row));
        let id: string;
        if (typeof row.externalId === 'string') {
          const { record, created } = await this.repository.upsertByExternalId(
            kind,
            organisationId,
            row as Record<string, unknown> & { externalId: string },
            hash,
            tx,
          );
          id = record.id;
          if (!created) updated++;
        } else {
          id = (await this.repository.insert(kind, organisationId, row, hash, tx)).id;
        }
        written.push({ kind, id, contentHash: hash });
      }
      return written;
    });
    summary.accepted += jobs.length;
    summary.updated += updated;
    // Records are saved as pending first; a failed enqueue is caught up by the worker's reconciliation. An unchanged
    // record's job finds its vector current and does nothing.
    await Promise.all(jobs.map((j) => this.jobs.embedProfile(j))).catch(() => undefined);
  }
}

interface ParsedRow {
  line: number;
  row?: Record<string, unknown>;
  error?: string;
}

async function* jsonlRows(input: Readable): AsyncGenerator<ParsedRow> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      const row: unknown = JSON.parse(text);
      if (typeof row !== 'object' || row === null || Array.isArray(row))
        yield { line, error: 'row: not a JSON object' };
      else yield { line, row: row as Record<string, unknown> };
    } catch {
      yield { line, error: 'row: not valid JSON' };
    }
  }
}

async function* csvRows(input: Readable): AsyncGenerator<ParsedRow> {
  const parser = input.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }),
  );
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    // Line 1 is the header.
    yield { line: parser.info.lines ?? 0, row: record };
  }
}

function fromCsv(row: Record<string, unknown>): Record<string, unknown> {
  for (const [field, value] of Object.entries(row)) {
    if (value === '') delete row[field];
    else if (NUMBER_FIELDS.has(field)) row[field] = Number(value);
    else if (BOOLEAN_FIELDS.has(field)) row[field] = value === 'true' ? true : value === 'false' ? false : value;
    else if (LIST_FIELDS.has(field))
      row[field] = String(value)
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
  }
  return row;
}
