import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse';
import { ForbiddenError, mayWrite, type Actor } from '@app/access';
import { Jobs, type EmbedProfilePayload } from '@app/jobs';
import { Db, findUnstorable, type Queryable } from '@app/persistence';
import { CreateAchievementDto } from './dto/achievement.dto';
import { CreateDemandDto } from './dto/demand.dto';
import { validationProblems } from './dto/validation-problems';
import { embeddingHash } from './embedding-text';
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
  /**
   * Set when the file could not be read on (a CSV quote never closed, a broken encoding): the line where reading
   * stopped and why. Every row before it was handled as counted above; nothing after it was read.
   */
  fatal?: { line: number; reason: string };
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
const DECIMAL = /^-?\d+(\.\d+)?$/;
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
    private readonly jobs: Jobs,
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
    let batch: BatchRow[] = [];
    let rowsRead = 0;
    for await (const { line, row, error, fatal } of format === 'csv' ? csvRows(input) : jsonlRows(input)) {
      if (fatal) {
        summary.fatal = { line, reason: fatal };
        break;
      }
      rowsRead++;
      if (error) reject(line, [error]);
      else {
        const problems = await this.check(kind, format === 'csv' ? fromCsv(row!) : row!);
        if (problems.length > 0) reject(line, problems);
        else batch.push({ line, row: row! });
      }
      if (batch.length >= BATCH) {
        await this.write(kind, organisationId, batch, summary, reject);
        batch = [];
      }
      if (rowsRead % 100 === 0) options.onProgress?.(rowsRead);
    }
    if (batch.length > 0) await this.write(kind, organisationId, batch, summary, reject);
    options.onProgress?.(rowsRead);
    return summary;
  }

  private async check(kind: ImportKind, row: Record<string, unknown>): Promise<string[]> {
    if ('organisationId' in row) return ['organisationId: not allowed in an import row'];
    const unstorable = findUnstorable(row);
    if (unstorable?.kind === 'nul') return [`${unstorable.field}: must not contain the NUL character`];
    if (unstorable) return [`${unstorable.field}: nested too deep`];
    const dto = plainToInstance(DTO[kind], row);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    Object.assign(row, dto);
    return validationProblems(errors).flatMap((p) => Object.keys(p.constraints).map((rule) => `${p.field}: ${rule}`));
  }

  /**
   * Writes a batch in one transaction: rows with an `externalId` the organisation used before update that record.
   * Should the database refuse a row that passed validation, the batch is written again with a savepoint per row, so
   * that only that row is rejected (with its line) and the others are stored.
   */
  private async write(
    kind: ImportKind,
    organisationId: string,
    rows: BatchRow[],
    summary: ImportSummary,
    reject: (line: number, reasons: string[]) => void,
  ): Promise<void> {
    let written: Written[];
    try {
      written = await this.db.transaction(async (tx) => {
        const out: Written[] = [];
        for (const { row } of rows) out.push(await this.writeRow(tx, kind, organisationId, row));
        await this.requestEmbeddings(tx, out);
        return out;
      });
    } catch (e) {
      if (!isDataError(e)) throw e;
      written = await this.db.transaction(async (tx) => {
        const out: Written[] = [];
        for (const { line, row } of rows) {
          await tx.query('SAVEPOINT import_row');
          try {
            out.push(await this.writeRow(tx, kind, organisationId, row));
            await tx.query('RELEASE SAVEPOINT import_row');
          } catch (rowError) {
            if (!isDataError(rowError)) throw rowError;
            await tx.query('ROLLBACK TO SAVEPOINT import_row');
            reject(line, [`row: refused by the database (${(rowError as { code: string }).code})`]);
          }
        }
        await this.requestEmbeddings(tx, out);
        return out;
      });
    }
    summary.accepted += written.length;
    summary.updated += written.filter((w) => !w.created).length;
  }

  /** The batch's embed-profile jobs, committed with its rows; a record whose text did not change needs none. */
  private async requestEmbeddings(tx: Queryable, written: Written[]): Promise<void> {
    const jobs = written.filter((w) => w.pending).map((w) => ({ name: 'embed-profile' as const, payload: w.job }));
    await this.jobs.addMany(tx, jobs);
  }

  private async writeRow(
    tx: Queryable,
    kind: ImportKind,
    organisationId: string,
    row: Record<string, unknown>,
  ): Promise<Written> {
    const hash = embeddingHash(kind, row);
    if (typeof row.externalId === 'string') {
      const { record, created } = await this.repository.upsertByExternalId(
        kind,
        organisationId,
        row as Record<string, unknown> & { externalId: string },
        hash,
        tx,
      );
      const pending = record.embedding.status === 'pending';
      return { job: { kind, id: record.id, contentHash: hash }, created, pending };
    }
    const record = await this.repository.insert(kind, organisationId, row, hash, tx);
    return { job: { kind, id: record.id, contentHash: hash }, created: true, pending: true };
  }
}

interface BatchRow {
  line: number;
  row: Record<string, unknown>;
}

interface Written {
  job: EmbedProfilePayload;
  created: boolean;
  /** Its text changed (or it is new): it waits for a vector. */
  pending: boolean;
}

/** PostgreSQL refused the data of a row (classes 22, data exception, and 23, integrity constraint violation). */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

interface ParsedRow {
  line: number;
  row?: Record<string, unknown>;
  /** This row is rejected for this reason; reading goes on. */
  error?: string;
  /** Reading cannot go on past this line. */
  fatal?: string;
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

/**
 * CSV records with the line each starts on (the parser reads ahead, so its running line count is not the record's).
 * An error the parser cannot read past (a quote never closed, text after a closing quote) ends the import at that
 * line; the records parsed before it are still handed on (an errored stream drops what it buffered, so records are
 * collected as the parser makes them, and the stream only paces the reading).
 */
async function* csvRows(input: Readable): AsyncGenerator<ParsedRow> {
  const parsed: ParsedRow[] = [];
  const parser = input.pipe(
    parse({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      on_record: (record: Record<string, string>, context: { lines: number }) => {
        parsed.push({ line: startLine(context.lines, record), row: record });
        return record;
      },
    }),
  );
  try {
    // Each record the stream hands over was collected by on_record already; it only says when to hand them on.
    for await (const record of parser as AsyncIterable<unknown>) if (record) yield* parsed.splice(0);
    yield* parsed.splice(0);
  } catch (e) {
    yield* parsed.splice(0);
    const err = e as { code?: string; lines?: number };
    yield { line: err.lines ?? 0, fatal: csvReason(err.code) };
  }
}

/** The line a record starts on: csv-parse counts the lines read up to its end, and a quoted field may span lines. */
function startLine(linesRead: number, record: Record<string, string>): number {
  const breaks = Object.values(record).reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
  return linesRead - breaks;
}

function csvReason(code: string | undefined): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened and never closed';
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote inside an unquoted field, or text after a closing quote';
    default:
      return `not readable as CSV (${code ?? 'unknown error'})`;
  }
}

function fromCsv(row: Record<string, unknown>): Record<string, unknown> {
  for (const [field, value] of Object.entries(row)) {
    if (value === '') delete row[field];
    // Plain decimals only: Number() would read 0x10 as 16 and 1e3 as 1000; anything else stays text and is refused.
    else if (NUMBER_FIELDS.has(field)) row[field] = DECIMAL.test(String(value)) ? Number(value) : value;
    else if (BOOLEAN_FIELDS.has(field)) row[field] = value === 'true' ? true : value === 'false' ? false : value;
    else if (LIST_FIELDS.has(field))
      row[field] = String(value)
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
  }
  return row;
}
