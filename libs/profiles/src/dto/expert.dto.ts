import type { Checked, FieldsMatch } from './fields-match';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsString, IsUUID, Length } from 'class-validator';
import { LIMITS } from './limits';
import { IsDisciplineCode, IsNotBlank, IsRegionCode, NULL_MEANS_NULL, Nullable, Omittable } from './validators';

/** An expert, or a commissioner (科技特派员) when `programmeId` is set. */
export class CreateExpertDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Organisation; only an admin may set it' })
  @Omittable()
  @IsUUID()
  organisationId?: string;

  @ApiProperty({ example: '王教授', maxLength: LIMITS.name })
  @IsString()
  @Length(1, LIMITS.name)
  @IsNotBlank()
  name: string;

  @ApiProperty({ example: '锂离子电池材料回收与再生，湿法冶金', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  expertise: string;

  @ApiPropertyOptional({ type: [String], example: ['450'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @IsDisciplineCode({ each: true })
  disciplineCodes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['330500'], description: 'Regions served' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @IsRegionCode({ each: true })
  regionCodes?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Commissioner programme this expert serves' })
  @Nullable()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ default: true })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

export class UpdateExpertDto extends PartialType(
  OmitType(CreateExpertDto, ['organisationId'] as const),
  NULL_MEANS_NULL,
) {}

/** The DTO and the expert record name the same fields (fields-match.ts). */
export type CreateExpertDtoFields = Checked<FieldsMatch<CreateExpertDto, 'expert'>>;
