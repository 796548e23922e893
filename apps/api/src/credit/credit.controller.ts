import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import { CreditService, type CreditRecord, type CreditRule } from '@app/credit';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';

const RECORD_DESCRIPTION =
  'The score (0-100) under the rule in force, with its base and one part per kind of event, and the counts of each ' +
  'kind. The subject (the organisation; the broker and its organisation) and operators also get the events, each ' +
  'with its source (a lead event, an offer, a report) and time.';

@ApiTags('credit')
@ApiBearerAuth()
@Controller()
export class CreditController {
  constructor(private readonly credit: CreditService) {}

  @Get('organisations/:id/credit')
  @Answers(200, 'CreditRecord')
  @ApiOperation({ summary: "An organisation's credit record", description: RECORD_DESCRIPTION })
  organisation(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CreditRecord> {
    return this.credit.record(actor, 'organisation', id);
  }

  @Get('brokers/:id/credit')
  @Answers(200, 'CreditRecord')
  @ApiOperation({ summary: "A broker's credit record", description: RECORD_DESCRIPTION })
  broker(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CreditRecord> {
    return this.credit.record(actor, 'broker', id);
  }

  @Get('credit-rules')
  @Answers(200, 'CreditRules')
  @ApiOperation({ summary: 'The versions of the credit scoring rule, the one in force first (retired ones kept)' })
  rules(): Promise<CreditRule[]> {
    return this.credit.rulesAll();
  }
}
