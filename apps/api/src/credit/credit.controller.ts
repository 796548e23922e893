import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import {
  AnswerCreditReportDto,
  CreditRuleDto,
  CreditService,
  FileCreditReportDto,
  type CreditRecord,
  type CreditReport,
  type CreditRule,
} from '@app/credit';
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

  @Post('credit-rules')
  @Answers(201, 'CreditRule')
  @ApiOperation({
    summary: 'Bring in the next version of the credit rule (operators)',
    description:
      'It is in force at once: every score from now on is computed by it and names its version. The version before ' +
      'is retired, kept and listed, never deleted.',
  })
  addRule(@CurrentActor() actor: Actor, @Body() body: CreditRuleDto): Promise<CreditRule> {
    return this.credit.addRule(actor, body);
  }

  @Post('credit-reports')
  @Answers(201, 'CreditReport')
  @ApiOperation({
    summary: 'File a bad-faith report about an organisation or a broker, with evidence (operators)',
    description: "It counts in the subject's record from now on; the subject may answer it.",
  })
  fileReport(@CurrentActor() actor: Actor, @Body() body: FileCreditReportDto): Promise<CreditReport> {
    return this.credit.fileReport(actor, body);
  }

  @Post('credit-reports/:id/answer')
  @HttpCode(200)
  @Answers(200, 'CreditReport')
  @ApiOperation({ summary: 'Answer a report about your organisation (or yourself, a broker); shown beside it' })
  answerReport(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AnswerCreditReportDto,
  ): Promise<CreditReport> {
    return this.credit.answerReport(actor, id, body);
  }
}
