import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import {
  CreateAchievementDto,
  CreateBrokerDto,
  CreateDemandDto,
  CreateExpertDto,
  ListQueryDto,
  ProfilesService,
  UpdateAchievementDto,
  UpdateBrokerDto,
  UpdateDemandDto,
  UpdateExpertDto,
  type Page,
  type ProfileByKind,
  type ProfileInput,
  type ProfileKind,
} from '@app/profiles';
import { CurrentActor, RequestId } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';
import { validationPipe } from '../http/validation';

/**
 * The same five routes for each kind of profile: create, list, read, update, withdraw. Each turns its DTO into one
 * ProfilesService call; who may do what is decided there.
 */
function profilesController<K extends ProfileKind>(kind: K, path: string, create: Type, update: Type, label: string) {
  // Response schemas by name (response-types.ts): Demand, DemandPage, …
  const one = `${kind[0].toUpperCase()}${kind.slice(1)}`;
  const page = `${one}Page`;
  @ApiTags(path)
  @ApiBearerAuth()
  @Controller(path)
  class ProfilesController {
    constructor(readonly profiles: ProfilesService) {}

    @Post()
    @Answers(201, one)
    @ApiOperation({ summary: `Create ${label}; its embedding is queued (see embedding.status)` })
    @ApiBody({ type: create })
    create(
      @CurrentActor() actor: Actor,
      // The DTO class names exactly the record's fields (fields-match.ts); the pipe has validated it.
      @Body(validationPipe(create)) body: ProfileInput<K> & { organisationId?: string },
      @RequestId() requestId?: string,
    ): Promise<ProfileByKind[K]> {
      return this.profiles.create(actor, kind, body, requestId);
    }

    @Get()
    @Answers(200, page)
    @ApiOperation({ summary: `List ${label}s the key may see, newest first, with cursor pagination` })
    list(@CurrentActor() actor: Actor, @Query() query: ListQueryDto): Promise<Page<ProfileByKind[K]>> {
      return this.profiles.list(actor, kind, query);
    }

    @Get(':id')
    @Answers(200, one)
    @ApiOperation({ summary: `Read ${label}` })
    get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ProfileByKind[K]> {
      return this.profiles.get(actor, kind, id);
    }

    @Patch(':id')
    @Answers(200, one)
    @ApiOperation({ summary: `Change ${label}; changed text is embedded again` })
    @ApiBody({ type: update })
    update(
      @CurrentActor() actor: Actor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body(validationPipe(update)) body: ProfileInput<K>,
      @RequestId() requestId?: string,
    ): Promise<ProfileByKind[K]> {
      return this.profiles.update(actor, kind, id, body, requestId);
    }

    @Post(':id/withdraw')
    @HttpCode(200)
    @Answers(200, one)
    @ApiOperation({ summary: `Withdraw ${label}: it stays on record but is no longer offered or matched` })
    withdraw(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ProfileByKind[K]> {
      return this.profiles.withdraw(actor, kind, id);
    }
  }
  Object.defineProperty(ProfilesController, 'name', { value: `${kind[0].toUpperCase()}${kind.slice(1)}sController` });
  return ProfilesController;
}

export const AchievementsController = profilesController(
  'achievement',
  'achievements',
  CreateAchievementDto,
  UpdateAchievementDto,
  'an achievement (科技成果)',
);
export const DemandsController = profilesController(
  'demand',
  'demands',
  CreateDemandDto,
  UpdateDemandDto,
  'a demand (技术需求)',
);
export const ExpertsController = profilesController(
  'expert',
  'experts',
  CreateExpertDto,
  UpdateExpertDto,
  'an expert or commissioner (科技特派员)',
);
export const BrokersController = profilesController(
  'broker',
  'brokers',
  CreateBrokerDto,
  UpdateBrokerDto,
  'a broker (技术经纪人)',
);
