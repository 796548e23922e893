import { Body, Controller, Delete, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeysService, ForbiddenError, type Actor } from '@app/access';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CurrentActor } from '../http/current-actor.decorator';
import { SecretFields } from '../http/idempotency.interceptor';
import { Answers } from '../http/openapi';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Answers(201, 'ApiKeyCreated')
  @SecretFields('secret')
  @ApiOperation({
    summary: 'Create an API key (admin); the secret is in this answer only (a retry with the Idempotency-Key: null)',
  })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateApiKeyDto): Promise<{ id: string; secret: string }> {
    return this.apiKeys.create(actor, body);
  }

  @Delete(':id')
  @Answers(204)
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)' })
  async revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (actor.role !== 'admin') throw new ForbiddenError('revoke API keys');
    if (!(await this.apiKeys.revoke(id))) throw new NotFoundException(`No active API key ${id}`);
  }
}
