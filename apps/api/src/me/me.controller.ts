import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor, Role } from '@app/access';
import { OrganisationsService, ProfilesService } from '@app/profiles';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';

export interface Me {
  role: Role;
  organisation: { id: string; name: string; kind: string; regionCode: string } | null;
  broker: { id: string; name: string } | null;
}

/** Who the key stands for: the web app signs in with it and shows only that role's pages. */
@ApiTags('session')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly profiles: ProfilesService,
  ) {}

  @Get()
  @Answers(200, 'Me')
  @ApiOperation({ summary: 'The role, organisation and broker profile this API key acts for' })
  async me(@CurrentActor() actor: Actor): Promise<Me> {
    const organisation = actor.organisationId ? await this.organisations.get(actor.organisationId) : null;
    const broker = actor.brokerId ? await this.profiles.get(actor, 'broker', actor.brokerId) : null;
    return {
      role: actor.role,
      organisation: organisation && {
        id: organisation.id,
        name: organisation.name,
        kind: organisation.kind,
        regionCode: organisation.regionCode,
      },
      broker: broker && { id: broker.id, name: broker.name },
    };
  }
}
