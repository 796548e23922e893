import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import {
  LeadDeliveryService,
  LeadReportsService,
  SubsidyRuleDto,
  SubsidyRulesService,
  WebhookDto,
  type FunnelRow,
  type Ranking,
  type SubsidyRule,
} from '@app/leads';
import { CurrentActor } from '../http/current-actor.decorator';
import { SecretFields } from '../http/idempotency.interceptor';
import { DeliveriesQueryDto, FunnelQueryDto, RankingQueryDto } from './dto/reports-query.dto';
import { Answers } from '../http/openapi';

/** What operators (admin keys) watch and keep: the funnel, the ranking, subsidy rules, webhooks and their deliveries. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller()
export class OperationsController {
  constructor(
    private readonly reports: LeadReportsService,
    private readonly delivery: LeadDeliveryService,
    private readonly subsidyRules: SubsidyRulesService,
  ) {}

  @Get('subsidy-rules')
  @Answers(200, 'SubsidyRules')
  @ApiOperation({ summary: 'The subsidy rules in force (admin)' })
  rules(@CurrentActor() actor: Actor): Promise<SubsidyRule[]> {
    return this.subsidyRules.list(actor);
  }

  @Post('subsidy-rules')
  @Answers(201, 'SubsidyRule')
  @ApiOperation({
    summary: 'Add a subsidy rule, e.g. a city scheme on top of the province (admin); 409 if the id exists',
  })
  addRule(@CurrentActor() actor: Actor, @Body() dto: SubsidyRuleDto): Promise<SubsidyRule> {
    return this.subsidyRules.add(actor, dto);
  }

  @Delete('subsidy-rules/:id')
  @Answers(204)
  @HttpCode(204)
  @ApiOperation({ summary: 'Retire a subsidy rule: it stops applying to contracts signed from now on (admin)' })
  retireRule(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.subsidyRules.retire(actor, id);
  }

  @Get('reports/funnel')
  @Answers(200, 'Funnel')
  @ApiOperation({
    summary: 'Leads created, offered, accepted and contracted, by organisation, broker, industry or region',
  })
  funnel(@CurrentActor() actor: Actor, @Query() q: FunnelQueryDto): Promise<FunnelRow[]> {
    const year = new Date().getUTCFullYear();
    return this.reports.funnel(actor, q.by, q.from ?? `${year}-01-01`, q.to ?? `${year + 1}-01-01`);
  }

  @Get('reports/ranking')
  @Answers(200, 'Ranking')
  @ApiOperation({
    summary: 'Transfer organisations by brokered contract amount in a year; top ten above 20M flagged',
    description:
      'Organisations whose credit score is below CREDIT_RANKING_MIN_SCORE are not ranked: they are listed in ' +
      '`leftOut`, with their score, and the floor is in `minCreditScore`.',
  })
  ranking(@CurrentActor() actor: Actor, @Query() q: RankingQueryDto): Promise<Ranking> {
    return this.reports.ranking(actor, q.year ?? new Date().getUTCFullYear());
  }

  @Put('organisations/:id/webhook')
  @Answers(200, 'WebhookSet')
  @SecretFields('secret')
  @ApiOperation({
    summary: "Set an organisation's lead webhook; returns the HMAC signing secret once (admin)",
    description:
      'Only http and https URLs of public hosts: a host that is, or resolves to, a loopback, private, link-local, ' +
      'unique-local, carrier-grade NAT, multicast, reserved or cloud metadata address is refused with 400 ' +
      '`WEBHOOK_ADDRESS_NOT_ALLOWED` (field `url`), unless the operator allowed it in WEBHOOK_ALLOWED_HOSTS. Every ' +
      'call checks again, on the address it connects to; redirects are not followed.',
  })
  setWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: WebhookDto) {
    return this.delivery.setWebhook(actor, id, dto.url);
  }

  @Delete('organisations/:id/webhook')
  @Answers(204)
  @HttpCode(204)
  @ApiOperation({ summary: "Remove an organisation's webhook (admin)" })
  removeWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.delivery.removeWebhook(actor, id);
  }

  @Get('webhook-deliveries')
  @Answers(200, 'WebhookDeliveries')
  @ApiOperation({ summary: 'Webhook deliveries, e.g. ?status=failed after the last attempt (admin)' })
  deliveries(@CurrentActor() actor: Actor, @Query() q: DeliveriesQueryDto) {
    return this.delivery.webhookDeliveries(actor, q.status, q.limit);
  }

  @Post('webhook-deliveries/:offerId/replay')
  @Answers(202)
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a webhook delivery again with a fresh series of attempts (admin)' })
  replay(@CurrentActor() actor: Actor, @Param('offerId', ParseUUIDPipe) offerId: string): Promise<void> {
    return this.delivery.replay(actor, offerId);
  }
}
