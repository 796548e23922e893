import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import { LearningService, type WeightVersion } from '@app/learning';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';
import type { ActiveWeights } from '../http/response-types';
import { ActiveWeightsDto, WeightVersionsQueryDto } from './dto/weights.dto';

/** The score weights matching uses: fitted versions with their held-out metrics, and which one is on (admin). */
@ApiTags('matching')
@ApiBearerAuth()
@Controller('matching/weights')
export class WeightsController {
  constructor(private readonly learning: LearningService) {}

  @Get()
  @Answers(200, 'WeightVersions')
  @ApiOperation({
    summary: 'Fitted weight versions, newest first, with training size, held-out AUC and log loss, calibration (admin)',
  })
  list(@CurrentActor() actor: Actor, @Query() q: WeightVersionsQueryDto): Promise<WeightVersion[]> {
    return this.learning.list(actor, q.limit ?? 20, q.offset ?? 0);
  }

  @Get('active')
  @Answers(200, 'ActiveWeights')
  @ApiOperation({ summary: 'The weights matching scores with now (admin)' })
  async active(@CurrentActor() actor: Actor): Promise<ActiveWeights> {
    const { version, weights } = await this.learning.inForce(actor);
    return { version, weights };
  }

  @Put('active')
  @Answers(200, 'ActiveWeights')
  @ApiOperation({
    summary: 'Switch a version on (a rollback to an older one), or null for the configured weights (admin)',
    description: 'Every process scores with the new weights within 5 s.',
  })
  async activate(@CurrentActor() actor: Actor, @Body() dto: ActiveWeightsDto): Promise<ActiveWeights> {
    const { version, weights } = await this.learning.activate(actor, dto.version);
    return { version, weights };
  }
}
