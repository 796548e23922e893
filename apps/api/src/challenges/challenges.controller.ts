import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import {
  AwardDto,
  ChallengeAwardService,
  ChallengeInvitationsService,
  DeclineInvitationDto,
  ChallengeLifecycleService,
  ChallengeFunnelQueryDto,
  ChallengeListQueryDto,
  ChallengeReportsService,
  type ChallengeFunnel,
  ChallengeRegistrationDto,
  ChallengeTransitionDto,
  ChallengeViewsService,
  CreateChallengeDto,
  ProposalDto,
  ProposalsService,
  ScoresDto,
  UpdateChallengeDto,
  type ChallengeEvent,
  type ChallengeInvitation,
  type ChallengeView,
  type Proposal,
  type RankedProposal,
} from '@app/challenges';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';

@ApiTags('challenges')
@ApiBearerAuth()
@Controller()
export class ChallengesController {
  constructor(
    private readonly lifecycle: ChallengeLifecycleService,
    private readonly views: ChallengeViewsService,
    private readonly proposals: ProposalsService,
    private readonly awards: ChallengeAwardService,
    private readonly invitations: ChallengeInvitationsService,
    private readonly reports: ChallengeReportsService,
  ) {}

  @Get('reports/challenges')
  @Answers(200, 'ChallengeFunnel')
  @ApiOperation({
    summary:
      'Challenges opened in a period: where they stand, invitations sent and answered, proposals, prizes, contracts (admin)',
  })
  funnel(@CurrentActor() actor: Actor, @Query() q: ChallengeFunnelQueryDto): Promise<ChallengeFunnel> {
    const year = new Date().getUTCFullYear();
    return this.reports.funnel(actor, q.from ?? `${year}-01-01`, q.to ?? `${year + 1}-01-01`);
  }

  @Get('challenge-invitations')
  @Answers(200, 'ChallengeInvitations')
  @ApiOperation({ summary: "Your organisation's invitations to answer challenges, with why it was invited" })
  inbox(@CurrentActor() actor: Actor): Promise<ChallengeInvitation[]> {
    return this.invitations.inbox(actor);
  }

  @Post('challenge-invitations/:id/decline')
  @Answers(200, 'ChallengeInvitation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline an invitation, saying why' })
  declineInvitation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DeclineInvitationDto,
  ): Promise<ChallengeInvitation> {
    return this.invitations.decline(actor, id, dto.reason);
  }

  @Post('challenge-invitations/:id/webhook/replay')
  @Answers(202)
  @HttpCode(202)
  @ApiOperation({ summary: "Queue an invitation's webhook delivery again with a fresh series of attempts (admin)" })
  replayInvitationWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.invitations.replayWebhook(actor, id);
  }

  @Post('challenges')
  @Answers(201, 'ChallengeView', 'The new challenge, a draft')
  @ApiOperation({ summary: "Draft a challenge on a demand (the demand's enterprise, or an operator)" })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateChallengeDto): Promise<ChallengeView> {
    return this.lifecycle.create(actor, {
      ...dto,
      confidentialDetails: dto.confidentialDetails ?? null,
      eligibleRegions: dto.eligibleRegions ?? [],
      eligibleKinds: dto.eligibleKinds ?? [],
      judgeExpertIds: dto.judgeExpertIds ?? [],
    });
  }

  @Get('challenges')
  @Answers(200, 'ChallengePage')
  @ApiOperation({
    summary: 'Open challenges (揭榜), newest first, by region, industry, prize and deadline; `mine` for your own',
  })
  list(@CurrentActor() actor: Actor, @Query() query: ChallengeListQueryDto) {
    const { state, ...rest } = query;
    return this.views.list(actor, { ...rest, states: state });
  }

  @Get('challenges/:id')
  @Answers(200, 'ChallengeView')
  @ApiOperation({
    summary: 'A challenge; its confidential details only to its owner, judges and solvers that accepted the terms',
  })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ChallengeView> {
    return this.views.get(actor, id);
  }

  @Patch('challenges/:id')
  @Answers(200, 'ChallengeView')
  @ApiOperation({ summary: "A draft's fields; once open, only the deadline (never into the past)" })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateChallengeDto,
  ): Promise<ChallengeView> {
    return this.lifecycle.update(actor, id, dto);
  }

  @Post('challenges/:id/transitions')
  @Answers(200, 'ChallengeView')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish (open), cancel (from draft or open) or close without award (from reviewing), with a reason',
  })
  move(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChallengeTransitionDto,
  ): Promise<ChallengeView> {
    return this.lifecycle.transition(actor, id, dto.to, dto.reason);
  }

  @Get('challenges/:id/events')
  @Answers(200, 'ChallengeEvents')
  @ApiOperation({ summary: "A challenge's moves and deadline changes, with who made them and when" })
  events(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ChallengeEvent[]> {
    return this.views.events(actor, id);
  }

  @Post('challenges/:id/registrations')
  @Answers(200, 'ChallengeView', 'The challenge, with its confidential details')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register your organisation for an open challenge, accepting its terms (solvers)' })
  register(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChallengeRegistrationDto,
  ): Promise<ChallengeView> {
    return this.lifecycle.register(actor, id, dto.acceptTerms);
  }

  @Post('challenges/:id/proposals')
  @Answers(201, 'Proposal')
  @ApiOperation({
    summary: 'Answer an open challenge before its deadline (one proposal per organisation; eligible solvers only)',
  })
  submit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ProposalDto,
  ): Promise<Proposal> {
    return this.proposals.submit(actor, id, proposalOf(dto));
  }

  @Get('challenges/:id/proposals')
  @Answers(200, 'RankedProposals')
  @ApiOperation({
    summary: "Proposals ranked by the judges' scores and the machine's fit, explained (owner, judges, operators)",
  })
  ranked(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RankedProposal[]> {
    return this.proposals.ranked(actor, id);
  }

  @Get('challenges/:id/proposals/mine')
  @Answers(200, 'MyProposal')
  @ApiOperation({ summary: "Your organisation's proposal to this challenge, or null" })
  mine(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Proposal | null> {
    return this.proposals.mine(actor, id);
  }

  @Post('challenges/:id/award')
  @Answers(200, 'ChallengeView')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Award one proposal of a challenge in review: its lead is made, and the other solvers told why',
  })
  award(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AwardDto,
  ): Promise<ChallengeView> {
    return this.awards.award(actor, id, dto);
  }

  @Get('proposals/:id')
  @Answers(200, 'Proposal')
  @ApiOperation({ summary: "A proposal: its author's, the challenge owner's, the judges' and operators' only" })
  proposal(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Proposal> {
    return this.proposals.get(actor, id);
  }

  @Put('proposals/:id')
  @Answers(200, 'Proposal')
  @ApiOperation({ summary: 'Edit your proposal until the deadline' })
  edit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ProposalDto,
  ): Promise<Proposal> {
    return this.proposals.edit(actor, id, proposalOf(dto));
  }

  @Put('proposals/:id/scores')
  @Answers(200, 'RankedProposal')
  @ApiOperation({ summary: "Score a proposal per criterion, 0-10 (the challenge's owner and judges)" })
  score(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ScoresDto,
  ): Promise<RankedProposal> {
    return this.proposals.score(actor, id, dto.scores);
  }
}

const proposalOf = (dto: ProposalDto) => ({
  ...dto,
  price: dto.price ?? null,
  achievementIds: dto.achievementIds ?? [],
  expertIds: dto.expertIds ?? [],
});
