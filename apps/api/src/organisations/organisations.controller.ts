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

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organisation (admin)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganisationDto): Promise<Organisation> {
    return this.organisations.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'List organisations, newest first' })
  list(@Query() query: OrganisationListQueryDto): Promise<Page<Organisation>> {
    return this.organisations.list(query.limit ?? 20, query.cursor, query.kind);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Organisation> {
    return this.organisations.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an organisation (admin)' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrganisationDto,
  ): Promise<Organisation> {
    return this.organisations.update(actor, id, body);
  }
}
