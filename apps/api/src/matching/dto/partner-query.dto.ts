import { Omittable } from '@app/profiles';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsIndustryCode, IsRegionCode } from '@app/profiles';

/** A commissioner programme's search for partners. */
export class PartnerQueryDto {
  @ApiProperty({ example: '330502', description: 'The region the programme serves' })
  @IsRegionCode()
  regionCode: string;

  @ApiProperty({ type: [String], example: ['38', '42'], description: 'Focus industries' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsIndustryCode({ each: true })
  industryCodes: string[];

  @ApiPropertyOptional({ example: '新能源电池 回收利用', maxLength: 500 })
  @Omittable()
  @IsString()
  @MaxLength(500)
  text?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50, default: 10 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}
