import { IsRfc3339Date, Omittable, RFC3339_DATE_TEXT } from '@app/profiles';
import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { PERIOD_PATTERN, type FunnelDimension, type WebhookDelivery } from '@app/leads';

export class FunnelQueryDto {
  @ApiProperty({ enum: ['organisation', 'broker', 'industry', 'region'] })
  @IsIn(['organisation', 'broker', 'industry', 'region'])
  by: FunnelDimension;

  @ApiPropertyOptional({
    example: '2026-01-01',
    description: `Leads created from this day; 1 January by default. ${RFC3339_DATE_TEXT}`,
  })
  @Omittable()
  @IsRfc3339Date()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-01-01',
    description: `Until this day (excluded); next 1 January by default. ${RFC3339_DATE_TEXT}`,
  })
  @Omittable()
  @IsRfc3339Date()
  to?: string;
}

export class RankingQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'This year by default' })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class PerformanceQueryDto {
  @ApiPropertyOptional({
    example: '2026-Q3',
    pattern: PERIOD_PATTERN.source,
    description: 'A year (2026) or a quarter (2026-Q3); the last quarter that has ended by default',
  })
  @Omittable()
  @IsString()
  @Matches(PERIOD_PATTERN, { message: 'period must be a year (2026) or a quarter (2026-Q3)' })
  period?: string;
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'] })
  @Omittable()
  @IsIn(['pending', 'delivered', 'failed'])
  status?: WebhookDelivery['status'];

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
