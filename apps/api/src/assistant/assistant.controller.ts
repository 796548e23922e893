import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/access';
import { DemandAssistantService, type Assistance } from '@app/assistant';
import { CurrentActor } from '../http/current-actor.decorator';
import { Answers } from '../http/openapi';
import { DemandDraftDto } from './dto/demand-draft.dto';

@ApiTags('assistant')
@ApiBearerAuth()
@Controller('demands')
export class AssistantController {
  constructor(private readonly assistant: DemandAssistantService) {}

  @Post('assist')
  @HttpCode(200)
  @Answers(200, 'Assistance')
  @ApiOperation({
    summary: 'Suggestions for a draft demand (凝练技术需求); nothing is stored',
    description:
      'Industry divisions (top three, with a confidence, the records each rests on, and whether the catalogue or the ' +
      "taxonomy's names decided), rare keywords shared with the nearest achievements, the readiness and cooperation " +
      'modes they offer, open demands that look like the same need, and the three best matches, explained. ' +
      'For enterprises, commissioner programmes and operators.',
  })
  assist(@CurrentActor() actor: Actor, @Body() draft: DemandDraftDto): Promise<Assistance> {
    return this.assistant.assist(actor, draft);
  }
}
