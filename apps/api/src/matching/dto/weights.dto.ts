import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { Omittable, PageQueryDto } from '@app/profiles';

/** Versions are few and numbered: the list's page size, and an offset instead of a cursor. */
export class WeightVersionsQueryDto extends PickType(PageQueryDto, ['limit'] as const) {
  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

/** Which version matching scores with: a fitted one, or null for the configured weights. */
export class ActiveWeightsDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'A weight version id; null: the configured weights' })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version!: number | null;
}
