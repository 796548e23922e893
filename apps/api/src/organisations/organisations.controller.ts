import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import {
  CreateOrganisationDto,
  OrganisationsService,
  UpdateOrganisationDto,
  OrganisationListQueryDto,
  type Organisation,
  type Page,
} from '@app/profiles';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Answers(201, 'Organisation')
  @ApiOperation({ summary: 'Create an organisation (admin)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganisationDto): Promise<Organisation> {
    return this.organisations.create(actor, body);
  }

  @Get()
  @Answers(200, 'OrganisationPage')
  @ApiOperation({ summary: 'List organisations, newest first' })
  list(@Query() query: OrganisationListQueryDto): Promise<Page<Organisation>> {
    return this.organisations.list(query.limit ?? 20, query.cursor, query.kind);
  }

  @Get(':id')
  @Answers(200, 'Organisation')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Organisation> {
    return this.organisations.get(id);
  }

  @Patch(':id')
  @Answers(200, 'Organisation')
  @ApiOperation({ summary: 'Change an organisation (admin)' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrganisationDto,
  ): Promise<Organisation> {
    return this.organisations.update(actor, id, body);
  }
}
