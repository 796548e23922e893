import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import { lastEndedPeriod, LeadReportsService, reportPeriod, type PerformanceReport } from '@app/leads';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';
import { PerformanceQueryDto } from './dto/reports-query.dto';

/** The published report of transfer organisations' performance and credit (定期向社会公布), for every key. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class PerformanceController {
  constructor(private readonly reports: LeadReportsService) {}

  @Get('reports/performance')
  @Answers(200, 'PerformanceReport')
  @ApiOperation({
    summary: "Each transfer organisation's contracts, brokered amount, response times, conversion and credit score",
    description:
      'Over a quarter or a year. Conversion: of the leads its brokers accepted in the period, the share that has ' +
      'reached a signed contract. Credit scores are taken at the end of the period (now, while it runs: `final` ' +
      'is false then).',
  })
  performance(@CurrentActor() actor: Actor, @Query() q: PerformanceQueryDto): Promise<PerformanceReport> {
    const period = reportPeriod(q.period ?? lastEndedPeriod(new Date(), 'quarter'))!;
    return this.reports.performance(actor, period);
  }
}
