import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import { LeadViewsService, type MatchWithLead } from '@app/leads';
import { MatchingService, SearchService, type SearchHit } from '@app/matching';
import { CurrentActor } from '../http/current-actor.decorator';
import { DemandMatchQueryDto, MatchQueryDto } from './dto/match-query.dto';
import { PartnerQueryDto } from './dto/partner-query.dto';
import { SEARCHABLE, SearchQueryDto } from './dto/search-query.dto';
import { Answers } from '../http/openapi';

@ApiTags('matching')
@ApiBearerAuth()
@Controller()
export class MatchingController {
  constructor(
    private readonly matching: MatchingService,
    private readonly searching: SearchService,
    private readonly leadViews: LeadViewsService,
  ) {}

  @Get('demands/:id/matches')
  @Answers(
    200,
    'AchievementMatches',
    'Achievements (target=achievements, the default); experts with target=experts (ExpertMatches)',
  )
  @ApiOperation({
    summary: 'Achievements (or experts) for a demand, best first, each with its score parts, explanation and lead',
    description: 'Pairs whose lead was declined are left out.',
  })
  async forDemand(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() { target, limit, ...filters }: DemandMatchQueryDto,
  ): Promise<MatchWithLead[]> {
    const kind = target === 'experts' ? 'expert' : 'achievement';
    const matches = await this.matching.forDemand(actor, id, kind, filters, limit);
    return this.leadViews.withLeads({ demandId: id }, matches);
  }

  @Get('achievements/:id/matches')
  @Answers(200, 'DemandMatches')
  @ApiOperation({
    summary: 'Demands for an achievement (an institution looking for buyers), in their public form, with their lead',
    description: 'Pairs whose lead was declined are left out.',
  })
  async forAchievement(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() { limit, ...filters }: MatchQueryDto,
  ): Promise<MatchWithLead[]> {
    const matches = await this.matching.forAchievement(actor, id, filters, limit);
    return this.leadViews.withLeads({ achievementId: id }, matches);
  }

  @Post('programmes/:id/partners')
  @Answers(200, 'ProgrammePartners')
  @HttpCode(200)
  @ApiOperation({ summary: 'Achievements, experts and enterprises with open demands for a commissioner programme' })
  partners(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: PartnerQueryDto) {
    return this.matching.partnersForProgramme(actor, id, body);
  }

  @Get('search')
  @Answers(200, 'SearchHits')
  @ApiOperation({ summary: 'Free-text search over one collection: hybrid (dense + BM25 fused), dense or lexical' })
  search(
    @CurrentActor() actor: Actor,
    @Query() { q, collection, mode, limit, ...filters }: SearchQueryDto,
  ): Promise<SearchHit[]> {
    return this.searching.search(actor, SEARCHABLE[collection], q, mode ?? 'hybrid', filters, limit);
  }
}
