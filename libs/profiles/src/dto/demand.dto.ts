import type { Checked, FieldsMatch } from './fields-match';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import {
  CONFIDENTIAL_DEMAND_FIELDS,
  COOPERATION_MODES,
  DEMAND_STATUSES,
  type ConfidentialDemandField,
  type CooperationMode,
  type DemandStatus,
} from '../profiles.types';
import { LIMITS } from './limits';
import {
  ExternalIdProperty,
  IsAmount,
  IsIndustryCode,
  IsKeywordList,
  IsNotBlank,
  IsNotLessThan,
  IsRegionCode,
  IsRfc3339Date,
  NULL_MEANS_NULL,
  Nullable,
  Omittable,
  RFC3339_DATE_TEXT,
} from './validators';

/** 技术需求: the problem an enterprise needs solved. */
export class CreateDemandDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Owner enterprise; only an admin may set it (others own what they create)',
  })
  @Omittable()
  @IsUUID()
  organisationId?: string;

  @ApiProperty({ example: '寻求动力电池回收技术', maxLength: LIMITS.title })
  @IsString()
  @Length(1, LIMITS.title)
  @IsNotBlank()
  title: string;

  @ApiProperty({
    example: '我公司每年产生约两千吨退役动力电池，希望引进高回收率的正极材料回收工艺。',
    maxLength: LIMITS.longText,
  })
  @IsString()
  @Length(1, LIMITS.longText)
  @IsNotBlank()
  description: string;

  @ApiPropertyOptional({ type: [String], maxItems: LIMITS.keywords })
  @IsKeywordList()
  keywords?: string[];

  @ApiPropertyOptional({ example: '42', description: 'GB/T 4754-2017 industry code' })
  @Nullable()
  @IsIndustryCode()
  industryCode?: string;

  @ApiProperty({ example: '330502', description: 'GB/T 2260 region code' })
  @IsRegionCode()
  regionCode: string;

  @ApiPropertyOptional({ description: 'Budget, lower bound, CNY', example: 500000 })
  @Nullable()
  @IsAmount({ zero: true, max: LIMITS.price })
  budgetMin?: number;

  @ApiPropertyOptional({ description: 'Budget, upper bound, CNY; not less than budgetMin', example: 1000000 })
  @Nullable()
  @IsAmount({ zero: true, max: LIMITS.price })
  @IsNotLessThan('budgetMin')
  budgetMax?: number;

  @ApiPropertyOptional({ enum: COOPERATION_MODES, isArray: true })
  @Omittable()
  @IsArray()
  @IsIn(COOPERATION_MODES, { each: true })
  cooperationModes?: CooperationMode[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 9,
    description: 'Lowest readiness level (TRL) acceptable',
  })
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(9)
  minReadinessLevel?: number;

  @ApiPropertyOptional({ example: '2027-06-30', description: `Stored as the date alone. ${RFC3339_DATE_TEXT}` })
  @Nullable()
  @IsRfc3339Date()
  deadline?: string;

  @ApiPropertyOptional({ description: 'Prize in CNY when the demand is a challenge posting (张榜招贤)' })
  @Nullable()
  @IsAmount({ zero: true, max: LIMITS.price })
  challengePrize?: number;

  @ApiPropertyOptional({ description: 'Green technology preferred' })
  @Omittable()
  @IsBoolean()
  greenPreferred?: boolean;

  @ApiPropertyOptional({ enum: DEMAND_STATUSES, default: 'open' })
  @Omittable()
  @IsIn(DEMAND_STATUSES)
  status?: DemandStatus;

  @ApiPropertyOptional({
    enum: CONFIDENTIAL_DEMAND_FIELDS,
    isArray: true,
    description: 'Fields shown only to the owner and an admin',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(CONFIDENTIAL_DEMAND_FIELDS.length)
  @ArrayUnique()
  @IsIn(CONFIDENTIAL_DEMAND_FIELDS, { each: true })
  confidentialFields?: ConfidentialDemandField[];

  @ExternalIdProperty('HZ-LN-2026-08')
  externalId?: string;
}

export class UpdateDemandDto extends PartialType(
  OmitType(CreateDemandDto, ['organisationId'] as const),
  NULL_MEANS_NULL,
) {}

/** The DTO and the demand record name the same fields (fields-match.ts). */
export type CreateDemandDtoFields = Checked<FieldsMatch<CreateDemandDto, 'demand'>>;
