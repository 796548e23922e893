import type { Checked, FieldsMatch } from './fields-match';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { LIMITS } from './limits';
import { IsIndustryCode, IsNotBlank, IsRegionCode, NULL_MEANS_NULL, Omittable } from './validators';

/** 技术经纪人: works for a transfer organisation and takes leads to contracts. */
export class CreateBrokerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Transfer organisation; only an admin may set it' })
  @Omittable()
  @IsUUID()
  organisationId?: string;

  @ApiProperty({ example: '李经纪', maxLength: LIMITS.name })
  @IsString()
  @Length(1, LIMITS.name)
  @IsNotBlank()
  name: string;

  @ApiProperty({ example: '新能源与新材料领域技术转移，十年经验', maxLength: LIMITS.expertise })
  @IsString()
  @Length(1, LIMITS.expertise)
  @IsNotBlank()
  expertise: string;

  @ApiPropertyOptional({ type: [String], example: ['38', '42'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @IsIndustryCode({ each: true })
  industryCodes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['330000'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(LIMITS.listItems)
  @IsRegionCode({ each: true })
  regionCodes?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000, default: 20, description: 'Open leads at most' })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(1000)
  capacity?: number;

  @ApiPropertyOptional({ default: true })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

export class UpdateBrokerDto extends PartialType(
  OmitType(CreateBrokerDto, ['organisationId'] as const),
  NULL_MEANS_NULL,
) {}

/** The DTO and the broker record name the same fields (fields-match.ts). */
export type CreateBrokerDtoFields = Checked<FieldsMatch<CreateBrokerDto, 'broker'>>;
