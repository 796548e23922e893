import { Omittable } from '@app/profiles';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsAmount, TRANSACTION_MODES, type TransactionMode } from '@app/profiles';

/** A subsidy rule a province, city or county adds (rules are data: no release needed). */
export class SubsidyRuleDto {
  @ApiProperty({ example: 'huzhou-2026-extra', description: 'Stable id; a changed rule is a new id' })
  @Matches(/^[a-z0-9][a-z0-9-]{2,62}$/, { message: 'id must be 3-63 lower-case letters, digits or dashes' })
  id: string;

  @ApiProperty({ example: 'huzhou-city', description: 'Rules of one scheme are alternatives; schemes add up' })
  @Matches(/^[a-z0-9][a-z0-9-]{2,62}$/, { message: 'scheme must be 3-63 lower-case letters, digits or dashes' })
  scheme: string;

  @ApiProperty({ example: '湖州市科学技术局' })
  @IsString()
  @Length(1, 100)
  authority: string;

  @ApiProperty({ example: '3305', description: "Prefix of the buyer's GB/T 2260 region code ('33' Zhejiang)" })
  @Matches(/^\d{2}(\d{2}(\d{2})?)?$/, { message: 'regionPrefix must be 2, 4 or 6 digits' })
  regionPrefix: string;

  @ApiProperty({ example: 1_000_000, description: 'Contracts paid at least this much, CNY' })
  @IsAmount({ zero: true })
  minAmount: number;

  @ApiProperty({ example: 0.05, description: 'Share of the amount paid, (0, 1]' })
  @IsNumber()
  @Min(0.0001)
  @Max(1)
  rate: number;

  @ApiPropertyOptional({ example: 300_000, description: 'At most this much, CNY; none if omitted' })
  @Omittable()
  @IsAmount({ zero: true })
  cap?: number;

  @ApiPropertyOptional({ enum: TRANSACTION_MODES, isArray: true, description: 'Empty: any mode' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(TRANSACTION_MODES, { each: true })
  transactionModes?: TransactionMode[];

  @ApiPropertyOptional({ default: false, description: 'Applies to challenge-prize winners whatever their mode' })
  @Omittable()
  @IsBoolean()
  challengeWinners?: boolean;

  @ApiPropertyOptional({ default: true })
  @Omittable()
  @IsBoolean()
  requiresExchangeSettlement?: boolean;

  @ApiProperty({ example: '湖州市科技成果转化补助办法 (2026)', description: 'The document the rule comes from' })
  @IsString()
  @Length(1, 500)
  source: string;
}
