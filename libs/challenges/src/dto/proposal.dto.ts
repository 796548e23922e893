import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Length,
  ValidateBy,
} from 'class-validator';
import { IsAmount, IsNotBlank, KeysAreData, LIMITS, Nullable, Omittable } from '@app/profiles';

/** 揭榜: a solver's proposal. */
export class ProposalDto {
  @ApiProperty({ example: '选择性浸出—萃取联合工艺，镍钴锰锂综合回收率98.5%', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  summary: string;

  @ApiProperty({ description: 'Technical approach', maxLength: LIMITS.longText })
  @IsString()
  @Length(1, LIMITS.longText)
  @IsNotBlank()
  approach: string;

  @ApiProperty({ description: 'Team and facilities', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  team: string;

  @ApiPropertyOptional({ example: 2_500_000, description: 'Price asked, CNY' })
  @Nullable()
  @IsAmount({ zero: true, max: LIMITS.price })
  price?: number | null;

  @ApiProperty({ example: '中试6个月，产线改造4个月', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  timeline: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Your organisation's achievements it builds on" })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  achievementIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "Your organisation's experts on the team" })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  expertIds?: string[];
}

/** A judge's scores: criterion name -> 0..10 (integers). Any criterion name is a key, __proto__ as well. */
export class ScoresDto {
  @ApiProperty({
    example: { 技术路线可行性: 8, 团队与条件: 6 },
    additionalProperties: { type: 'integer', minimum: 0, maximum: 10 },
    minProperties: 1,
    maxProperties: 10,
  })
  @KeysAreData()
  @IsObject()
  @ValidateBy({
    name: 'scoresInRange',
    validator: {
      validate: (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        Object.keys(v).length > 0 &&
        Object.keys(v).length <= 10 &&
        Object.values(v).every((s) => Number.isInteger(s) && (s as number) >= 0 && (s as number) <= 10),
      defaultMessage: () => 'scores must map 1 to 10 criteria to integers from 0 to 10',
    },
  })
  scores: Record<string, number>;
}

export class AwardDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  proposalId: string;

  @ApiProperty({ enum: ['achievement', 'expert'], description: 'What the lead goes to: one the proposal builds on' })
  @IsIn(['achievement', 'expert'])
  partnerKind: 'achievement' | 'expert';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  partnerId: string;

  @ApiProperty({ description: 'Told to every other solver', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  reason: string;
}
