import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import {
  ChallengeLifecycleService,
  ChallengeListQueryDto,
  ChallengeRegistrationDto,
  ChallengeTransitionDto,
  ChallengeViewsService,
  CreateChallengeDto,
  UpdateChallengeDto,
  type ChallengeEvent,
  type ChallengeView,
} from '@app/challenges';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';

@ApiTags('challenges')
@ApiBearerAuth()
@Controller('challenges')
export class ChallengesController {
  constructor(
    private readonly lifecycle: ChallengeLifecycleService,
    private readonly views: ChallengeViewsService,
  ) {}

  @Post()
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

  @Get()
  @Answers(200, 'ChallengePage')
  @ApiOperation({
    summary: 'Open challenges (揭榜), newest first, by region, industry, prize and deadline; `mine` for your own',
  })
  list(@CurrentActor() actor: Actor, @Query() query: ChallengeListQueryDto) {
    const { state, ...rest } = query;
    return this.views.list(actor, { ...rest, states: state });
  }

  @Get(':id')
  @Answers(200, 'ChallengeView')
  @ApiOperation({
    summary: 'A challenge; its confidential details only to its owner, judges and solvers that accepted the terms',
  })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ChallengeView> {
    return this.views.get(actor, id);
  }

  @Patch(':id')
  @Answers(200, 'ChallengeView')
  @ApiOperation({ summary: "A draft's fields; once open, only the deadline (never into the past)" })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateChallengeDto,
  ): Promise<ChallengeView> {
    return this.lifecycle.update(actor, id, dto);
  }

  @Post(':id/transitions')
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

  @Get(':id/events')
  @Answers(200, 'ChallengeEvents')
  @ApiOperation({ summary: "A challenge's moves and deadline changes, with who made them and when" })
  events(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ChallengeEvent[]> {
    return this.views.events(actor, id);
  }

  @Post(':id/registrations')
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
}
