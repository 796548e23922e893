import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeysService, type ApiKeyRecord, type Actor } from '@app/access';
import { CreateApiKeyDto, ListApiKeysQueryDto } from './create-api-key.dto';
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
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateApiKeyDto,
  ): Promise<{ id: string; secret: string; expiresAt: string }> {
    return this.apiKeys.create(actor, body);
  }

  @Get()
  @Answers(200, 'ApiKeyPage')
  @ApiOperation({ summary: 'API keys, newest first: role, organisation, expiry and last use; never a secret (admin)' })
  list(
    @CurrentActor() actor: Actor,
    @Query() q: ListApiKeysQueryDto,
  ): Promise<{ items: ApiKeyRecord[]; nextCursor: string | null }> {
    return this.apiKeys.list(actor, q);
  }

  @Delete(':id')
  @Answers(204)
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin); every API process refuses it within a second' })
  async revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.apiKeys.revoke(actor, id))) throw new NotFoundException(`No active API key ${id}`);
  }
}
