import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsIndustryCode, IsRegionCode, Omittable } from './validators';

/** Cursor pagination, shared by every list of the API. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Omittable()
  @IsString()
  cursor?: string;
}

/** Filters shared by the profile lists; filters that do not apply to a kind are ignored. */
export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ description: 'Status of the record (kind-specific values)' })
  @Omittable()
  @IsString()
  status?: string;

  @ApiPropertyOptional({ description: 'Region code; a province or city matches every region inside it' })
  @Omittable()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ description: 'Industry code; a division matches every finer code under it' })
  @Omittable()
  @IsIndustryCode()
  industryCode?: string;

  @ApiPropertyOptional({ enum: ['pending', 'ready', 'failed'] })
  @Omittable()
  @IsIn(['pending', 'ready', 'failed'])
  embeddingStatus?: 'pending' | 'ready' | 'failed';
}
