import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IsAmount,
  IsIndustryCode,
  IsRfc3339Date,
  IsNotBlank,
  IsRegionCode,
  LIMITS,
  NULL_MEANS_NULL,
  Nullable,
  Omittable,
  ORGANISATION_KINDS,
  PageQueryDto,
  RFC3339_DATE_TEXT,
  type OrganisationKind,
} from '@app/profiles';
import { CHALLENGE_STATES, MANUAL_TARGETS, type ChallengeState, type ManualTarget } from '../challenge-lifecycle';

/** What proposals are judged on. */
export class CriterionDto {
  @ApiProperty({ example: '技术路线可行性', maxLength: LIMITS.name })
  @IsString()
  @Length(1, LIMITS.name)
  @IsNotBlank()
  name: string;

  @ApiProperty({ example: '回收率、能耗与二次污染控制的论证是否充分', maxLength: LIMITS.expertise })
  @IsString()
  @Length(0, LIMITS.expertise)
  description: string;

  @ApiProperty({ example: 3, description: 'Relative weight (the shares are weight / sum of weights)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(100)
  weight: number;
}

/** 张榜: a demand published as a challenge with a prize. */
export class CreateChallengeDto {
  @ApiProperty({ format: 'uuid', description: "The demand behind it; the demand's organisation owns the challenge" })
  @IsUUID()
  demandId: string;

  @ApiProperty({ example: '退役动力电池正极材料高值化回收技术攻关', maxLength: LIMITS.title })
  @IsString()
  @Length(1, LIMITS.title)
  @IsNotBlank()
  title: string;

  @ApiProperty({ description: 'The public problem statement', maxLength: LIMITS.longText })
  @IsString()
  @Length(1, LIMITS.longText)
  @IsNotBlank()
  statement: string;

  @ApiPropertyOptional({
    type: String,
    description: 'Shown to a solver only after it registered and accepted the terms',
    maxLength: LIMITS.longText,
  })
  @Nullable()
  @IsString()
  @Length(1, LIMITS.longText)
  confidentialDetails?: string | null;

  @ApiProperty({ description: 'The terms a solver accepts when it registers', maxLength: LIMITS.longText })
  @IsString()
  @Length(1, LIMITS.longText)
  @IsNotBlank()
  terms: string;

  @ApiProperty({ example: 1_000_000, description: 'Prize, CNY' })
  @IsAmount({ max: LIMITS.price })
  prizeAmount: number;

  @ApiProperty({ example: '通过中试验证、回收率不低于98%的工艺包', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  prizeFor: string;

  @ApiProperty({
    example: '2027-03-31T16:00:00Z',
    description:
      'Proposal deadline: an RFC 3339 date-time with Z or an offset of at most 14:00 (2027-03-31T16:00:00+08:00), ' +
      'a real calendar date and time in the years 0001 to 9999',
  })
  @IsRfc3339Date({ timeRequired: true })
  deadline: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['33'],
    description: 'Region code prefixes (2, 4 or 6 digits) a solver must be in; empty: anywhere',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @ArrayUnique()
  @Matches(/^(\d{2}|\d{4}|\d{6})$/, { each: true, message: 'each of eligibleRegions must be 2, 4 or 6 digits' })
  eligibleRegions?: string[];

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS, isArray: true, description: 'Empty: any kind' })
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(ORGANISATION_KINDS, { each: true })
  eligibleKinds?: OrganisationKind[];

  @ApiProperty({ type: [CriterionDto], minItems: 1, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  @ArrayUnique((c: CriterionDto) => c?.name, { message: 'criteria must have distinct names' })
  criteria: CriterionDto[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: "Experts who judge beside the owner's keys (through their organisations' keys)",
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  judgeExpertIds?: string[];
}

/** A draft's fields; once open, only the deadline (extended, or moved, never into the past). */
export class UpdateChallengeDto extends PartialType(
  OmitType(CreateChallengeDto, ['demandId'] as const),
  NULL_MEANS_NULL,
) {}

export class ChallengeTransitionDto {
  @ApiProperty({ enum: MANUAL_TARGETS, description: 'open (publish), cancelled, or closed (without award)' })
  @IsIn(MANUAL_TARGETS)
  to: ManualTarget;

  @ApiPropertyOptional({ description: 'Required for cancelled and closed', maxLength: LIMITS.expertise })
  @Omittable()
  @IsString()
  @Length(1, LIMITS.expertise)
  reason?: string;
}

export class DeclineInvitationDto {
  @ApiProperty({ example: '方向不符', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  reason: string;
}

export class ChallengeRegistrationDto {
  @ApiProperty({ description: "The solver accepts the challenge's terms" })
  @IsBoolean()
  acceptTerms: boolean;
}

/** 揭榜: the challenges a solver browses (open ones unless `state` says otherwise). */
export class ChallengeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHALLENGE_STATES, isArray: true, description: 'Default: open' })
  @Omittable()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @IsIn(CHALLENGE_STATES, { each: true })
  state?: ChallengeState[];

  @ApiPropertyOptional({ description: "Only the actor's organisation's own challenges, in every state" })
  @Omittable()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ description: 'Region code; a province or city matches every region inside it' })
  @Omittable()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ description: 'Industry code; a division matches every finer code under it' })
  @Omittable()
  @IsIndustryCode()
  industryCode?: string;

  @ApiPropertyOptional({ description: 'Prize at least, CNY' })
  @Omittable()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  prizeMin?: number;

  @ApiPropertyOptional({ description: 'Prize at most, CNY' })
  @Omittable()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  prizeMax?: number;

  @ApiPropertyOptional({ example: '2027-06-30', description: `Deadline on or before this. ${RFC3339_DATE_TEXT}` })
  @Omittable()
  @IsRfc3339Date()
  deadlineBefore?: string;

  @ApiPropertyOptional({ example: '2027-01-01', description: `Deadline on or after this. ${RFC3339_DATE_TEXT}` })
  @Omittable()
  @IsRfc3339Date()
  deadlineAfter?: string;
}

/** The period of the operators' challenge funnel: challenges opened from `from` until `to` (excluded). */
export class ChallengeFunnelQueryDto {
  @ApiPropertyOptional({
    example: '2026-01-01',
    description: `Challenges opened from this day; 1 January by default. ${RFC3339_DATE_TEXT}`,
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
