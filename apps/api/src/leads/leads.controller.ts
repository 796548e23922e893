import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@app/access';
import {
  AssignDto,
  IntroduceDto,
  LeadDeliveryService,
  LeadListQueryDto,
  LeadReportsService,
  LeadConsentService,
  LeadGenerationService,
  LeadLifecycleService,
  LeadOffersService,
  LeadViewsService,
  TransitionDto,
  type InboxItem,
  type LeadView,
} from '@app/leads';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';
import type { LeadPage } from '../http/response-types';

@ApiTags('leads')
@ApiBearerAuth()
@Controller()
export class LeadsController {
  constructor(
    private readonly generation: LeadGenerationService,
    private readonly offers: LeadOffersService,
    private readonly lifecycle: LeadLifecycleService,
    private readonly consents: LeadConsentService,
    private readonly views: LeadViewsService,
    private readonly delivery: LeadDeliveryService,
    private readonly reports: LeadReportsService,
  ) {}

  @Post('leads')
  @Answers(201, 'LeadView', 'The new lead')
  @Answers(200, 'LeadView', 'The existing lead of the pair')
  @ApiOperation({
    summary:
      'Introduce a demand to an achievement or expert by hand (admin, broker); 200 with the lead if the pair exists',
  })
  async introduce(
    @CurrentActor() actor: Actor,
    @Body() dto: IntroduceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LeadView> {
    const { lead, created } = await this.generation.introduce(actor, dto);
    res.status(created ? 201 : 200);
    return lead;
  }

  @Get('leads')
  @Answers(200, 'LeadPage')
  @ApiOperation({
    summary: "Leads the key may see: a broker's own, an organisation's (either side), all for an admin; newest first",
  })
  list(@CurrentActor() actor: Actor, @Query() query: LeadListQueryDto): Promise<LeadPage> {
    return this.views.list(actor, query);
  }

  @Get('leads/:id')
  @Answers(200, 'LeadView')
  @ApiOperation({
    summary: 'A lead with its demand (teaser until accepted / consented), partner, why its broker was chosen, events',
  })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LeadView> {
    return this.views.view(actor, id);
  }

  @Post('leads/:id/transitions')
  @Answers(200, 'LeadView')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a lead: accepted, declined (reason), contacted, negotiating, contract_signed (contract), closed_*',
    description: 'A move the lifecycle does not allow is a 409 whose `allowed` lists the moves that are.',
  })
  transition(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransitionDto,
  ): Promise<LeadView> {
    return this.lifecycle.transition(actor, id, dto);
  }

  @Post('leads/:id/consent')
  @Answers(200, 'LeadView')
  @HttpCode(200)
  @ApiOperation({
    summary: "The enterprise agrees to the introduction: the partner's owner may read the demand in full",
  })
  consent(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LeadView> {
    return this.consents.consent(actor, id);
  }

  @Post('leads/:id/assign')
  @Answers(200, 'LeadView')
  @HttpCode(200)
  @ApiOperation({ summary: 'Offer a waiting or escalated lead to a broker, or to the best eligible one (admin)' })
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignDto,
  ): Promise<LeadView> {
    return this.offers.assign(actor, id, dto);
  }

  @Get('inbox')
  @Answers(200, 'Inbox')
  @ApiOperation({ summary: "The broker's inbox: offers delivered to this broker key, newest first, with why" })
  inbox(@CurrentActor() actor: Actor): Promise<InboxItem[]> {
    return this.delivery.inbox(actor);
  }

  @Get('achievements/:id/decline-reasons')
  @Answers(200, 'DeclineReasons')
  @ApiOperation({ summary: "Why this achievement's leads were declined, by reason (its owner, admin)" })
  achievementDeclines(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.reports.declineReasons(actor, 'achievement', id);
  }

  @Get('demands/:id/decline-reasons')
  @Answers(200, 'DeclineReasons')
  @ApiOperation({ summary: "Why this demand's leads were declined, by reason (its owner, admin)" })
  demandDeclines(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.reports.declineReasons(actor, 'demand', id);
  }

  @Get('experts/:id/decline-reasons')
  @Answers(200, 'DeclineReasons')
  @ApiOperation({ summary: "Why this expert's leads were declined, by reason (its owner, admin)" })
  expertDeclines(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.reports.declineReasons(actor, 'expert', id);
  }
}
