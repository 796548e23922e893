import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsObject, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsNotBlank, Omittable } from '@app/profiles';

const points = (example: number) =>
  applyDecorators(
    ApiPropertyOptional({ example, minimum: -100, maximum: 100 }),
    Omittable(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(-100),
    Max(100),
  );

/**
 * Points per event of each kind (a kind left out counts 0); the names are CREDIT_EVENT_KINDS. Numbers are kept to
 * hundredths by the service: class-validator's maxDecimalPlaces throws on a number like 5e-324 (a 500 the fuzzer found).
 */
export class CreditPointsDto {
  @points(3) contract_signed?: number;
  @points(2) settled_on_exchange?: number;
  @points(2) closed_won?: number;
  @points(0) closed_lost?: number;
  @points(-1) offer_lapsed?: number;
  @points(-3) accepted_idle?: number;
  @points(-2) declined_after_acceptance?: number;
  @points(5) award_honoured?: number;
  @points(-10) award_not_honoured?: number;
  @points(-15) bad_faith_report?: number;
}

/** The next version of the credit scoring rule; it comes into force at once and the one before is retired. */
export class CreditRuleDto {
  @ApiProperty({ example: 70, minimum: 0, maximum: 100, description: 'The score of a record without events' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  base: number;

  @ApiProperty({ type: CreditPointsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CreditPointsDto)
  points: CreditPointsDto;

  @ApiProperty({
    type: 'integer',
    example: 24,
    minimum: 1,
    maximum: 120,
    description: 'Events older than this do not count',
  })
  @IsInt()
  @Min(1)
  @Max(120)
  windowMonths: number;

  @ApiProperty({ example: '省科技厅 2027 年技术转移机构信用评价办法', maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  @IsNotBlank()
  source: string;
}
