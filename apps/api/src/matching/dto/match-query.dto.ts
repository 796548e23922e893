import { Omittable } from '@app/profiles';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import { IsIndustryCode, IsRegionCode, TRANSACTION_MODES } from '@app/profiles';

/** Filters a caller may add to a match request; hard constraints (withdrawn, traded, private) always apply. */
export class MatchQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only candidates in this region (a province or city covers what is inside)' })
  @Omittable()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ description: 'Only candidates in this industry (a division covers its classes)' })
  @Omittable()
  @IsIndustryCode()
  industryCode?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 9 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(9)
  minReadinessLevel?: number;

  @ApiPropertyOptional({ enum: TRANSACTION_MODES })
  @Omittable()
  @IsIn(TRANSACTION_MODES)
  transactionMode?: string;

  @ApiPropertyOptional({ description: 'Only green (true) or only non-green (false) achievements' })
  @Omittable()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  green?: boolean;
}

export class DemandMatchQueryDto extends MatchQueryDto {
  @ApiPropertyOptional({ enum: ['achievements', 'experts'], default: 'achievements' })
  @Omittable()
  @IsIn(['achievements', 'experts'])
  target?: 'achievements' | 'experts';
}
