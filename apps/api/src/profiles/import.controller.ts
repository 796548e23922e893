import { Transform, type TransformCallback } from 'node:stream';
import {
  Controller,
  Inject,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Actor } from '@app/access';
import { ProfileImportService, type ImportFormat, type ImportKind, type ImportSummary } from '@app/profiles';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';

const FORMATS: Record<string, ImportFormat> = {
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'text/csv': 'csv',
};

/** Bulk import: the request body is streamed through the importer, never held whole in memory. */
@ApiTags('import')
@ApiBearerAuth()
@Controller()
export class ImportController {
  constructor(
    private readonly importer: ProfileImportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':kind/import')
  @Answers(201, 'ImportSummary')
  @ApiOperation({
    summary: 'Import achievements or demands from JSON Lines or CSV (lists separated by "|")',
    description: 'Valid rows are saved and queued for embedding; the answer counts rejected rows by reason.',
  })
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiQuery({ name: 'organisationId', required: false, description: 'Owner; admin keys only' })
  async import(
    @CurrentActor() actor: Actor,
    @Param('kind') path: string,
    @Req() req: Request,
    @Query('organisationId', new ParseUUIDPipe({ optional: true })) organisationId?: string,
  ): Promise<ImportSummary> {
    const kind = ({ achievements: 'achievement', demands: 'demand' } as Record<string, ImportKind>)[path];
    if (!kind) throw new UnsupportedMediaTypeException(`Cannot import ${path}: achievements or demands only`);
    const format = FORMATS[(req.headers['content-type'] ?? '').split(';')[0].trim()];
    if (!format) throw new UnsupportedMediaTypeException('Content-Type must be application/x-ndjson or text/csv');
    const max = this.config.http.importMaxBytes;
    if (Number(req.headers['content-length'] ?? 0) > max) {
      throw new PayloadTooLargeException(`Import bodies are limited to ${max} bytes`);
    }
    return this.importer.import(actor, kind, format, req.pipe(limitBytes(max)), {
      organisationId,
    });
  }
}

function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max) done(new PayloadTooLargeException(`Import bodies are limited to ${max} bytes`));
      else done(null, chunk);
    },
  });
}
