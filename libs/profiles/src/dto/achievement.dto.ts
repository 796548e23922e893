import type { Checked, FieldsMatch } from './fields-match';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ACHIEVEMENT_STATUSES,
  COOPERATION_MODES,
  PATENT_STATUSES,
  TRANSACTION_MODES,
  VISIBILITIES,
  type AchievementStatus,
  type CooperationMode,
  type TransactionMode,
  type Visibility,
} from '../profiles.types';
import { LIMITS } from './limits';
import {
  ExternalIdProperty,
  IsAmount,
  IsDisciplineCode,
  IsIndustryCode,
  IsKeywordList,
  IsNotBlank,
  IsRegionCode,
  NULL_MEANS_NULL,
  Nullable,
  Omittable,
} from './validators';

export class PatentDto {
  @ApiProperty({ example: 'ZL202310123456.7', maxLength: 40 })
  @IsString()
  @Length(1, 40)
  number: string;

  @ApiProperty({ enum: PATENT_STATUSES })
  @IsIn(PATENT_STATUSES)
  status: (typeof PATENT_STATUSES)[number];
}

/** 科技成果: a patent, result or know-how an institution offers. */
export class CreateAchievementDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Owner organisation; only an admin may set it (others own what they create)',
  })
  @Omittable()
  @IsUUID()
  organisationId?: string;

  @ApiProperty({ example: '废旧动力电池正极材料湿法回收技术', maxLength: LIMITS.title })
  @IsString()
  @Length(1, LIMITS.title)
  @IsNotBlank()
  title: string;

  @ApiProperty({ example: '本成果提出一种废旧锂离子电池正极材料的湿法回收工艺……', maxLength: LIMITS.longText })
  @IsString()
  @Length(1, LIMITS.longText)
  @IsNotBlank()
  abstract: string;

  @ApiPropertyOptional({ type: [String], example: ['动力电池', '湿法冶金'], maxItems: LIMITS.keywords })
  @IsKeywordList()
  keywords?: string[];

  @ApiPropertyOptional({ example: '42', description: 'GB/T 4754-2017 industry code' })
  @Nullable()
  @IsIndustryCode()
  industryCode?: string;

  @ApiPropertyOptional({ example: '450', description: 'GB/T 13745-2009 discipline code' })
  @Nullable()
  @IsDisciplineCode()
  disciplineCode?: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 9, description: 'Technology readiness level (TRL 1-9)' })
  @IsInt()
  @Min(1)
  @Max(9)
  readinessLevel: number;

  @ApiPropertyOptional({ type: [PatentDto] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @ValidateNested({ each: true })
  @Type(() => PatentDto)
  patents?: PatentDto[];

  @ApiPropertyOptional({ description: 'Green technology (绿色技术)' })
  @Omittable()
  @IsBoolean()
  green?: boolean;

  @ApiPropertyOptional({ enum: TRANSACTION_MODES, default: 'negotiated' })
  @Omittable()
  @IsIn(TRANSACTION_MODES)
  transactionMode?: TransactionMode;

  @ApiPropertyOptional({ description: 'Asking (or listing/auction base) price in CNY', example: 800000 })
  @Nullable()
  @IsAmount({ zero: true, max: LIMITS.price })
  askingPrice?: number;

  @ApiPropertyOptional({ enum: COOPERATION_MODES, isArray: true })
  @Omittable()
  @IsArray()
  @IsIn(COOPERATION_MODES, { each: true })
  cooperationModes?: CooperationMode[];

  @ApiPropertyOptional({ type: [String], description: 'Completing inventors (完成人)' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @IsString({ each: true })
  @MaxLength(LIMITS.name, { each: true })
  inventors?: string[];

  @ApiProperty({ example: '330502', description: 'GB/T 2260 region code' })
  @IsRegionCode()
  regionCode: string;

  @ApiPropertyOptional({ enum: ACHIEVEMENT_STATUSES, default: 'listed' })
  @Omittable()
  @IsIn(ACHIEVEMENT_STATUSES)
  status?: AchievementStatus;

  @ApiPropertyOptional({ enum: VISIBILITIES, default: 'public' })
  @Omittable()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @ExternalIdProperty('ZJU-2026-0137')
  externalId?: string;
}

export class UpdateAchievementDto extends PartialType(
  OmitType(CreateAchievementDto, ['organisationId'] as const),
  NULL_MEANS_NULL,
) {}

/** The DTO and the achievement record name the same fields (fields-match.ts). */
export type CreateAchievementDtoFields = Checked<FieldsMatch<CreateAchievementDto, 'achievement'>>;
