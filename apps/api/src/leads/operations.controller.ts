import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import { LeadDeliveryService, LeadReportsService, WebhookDto, type FunnelRow, type RankingRow } from '@app/leads';
import { CurrentActor } from '../http/current-actor.decorator';
import { DeliveriesQueryDto, FunnelQueryDto, RankingQueryDto } from './dto/reports-query.dto';

/** What operators (admin keys) watch and fix: the funnel, the ranking, webhooks and their failed deliveries. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller()
export class OperationsController {
  constructor(
    private readonly reports: LeadReportsService,
    private readonly delivery: LeadDeliveryService,
  ) {}

  @Get('reports/funnel')
  @ApiOperation({
    summary: 'Leads created, offered, accepted and contracted, by organisation, broker, industry or region',
  })
  funnel(@CurrentActor() actor: Actor, @Query() q: FunnelQueryDto): Promise<FunnelRow[]> {
    const year = new Date().getUTCFullYear();
    return this.reports.funnel(actor, q.by, q.from ?? `${year}-01-01`, q.to ?? `${year + 1}-01-01`);
  }

  @Get('reports/ranking')
  @ApiOperation({ summary: 'Transfer organisations by brokered contract amount in a year; top ten above 20M flagged' })
  ranking(@CurrentActor() actor: Actor, @Query() q: RankingQueryDto): Promise<RankingRow[]> {
    return this.reports.ranking(actor, q.year ?? new Date().getUTCFullYear());
  }

  @Put('organisations/:id/webhook')
  @ApiOperation({ summary: "Set an organisation's lead webhook; returns the HMAC signing secret once (admin)" })
  setWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: WebhookDto) {
    return this.delivery.setWebhook(actor, id, dto.url);
  }

  @Delete('organisations/:id/webhook')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove an organisation's webhook (admin)" })
  removeWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.delivery.removeWebhook(actor, id);
  }

  @Get('webhook-deliveries')
  @ApiOperation({ summary: 'Webhook deliveries, e.g. ?status=failed after the last attempt (admin)' })
  deliveries(@CurrentActor() actor: Actor, @Query() q: DeliveriesQueryDto) {
    return this.delivery.webhookDeliveries(actor, q.status, q.limit);
  }

  @Post('webhook-deliveries/:offerId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a webhook delivery again with a fresh series of attempts (admin)' })
  replay(@CurrentActor() actor: Actor, @Param('offerId', ParseUUIDPipe) offerId: string): Promise<void> {
    return this.delivery.replay(actor, offerId);
  }
}
