import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { IsAmount, IsIndustryCode, IsNotBlank, IsNotLessThan, IsRegionCode, LIMITS, Omittable } from '@app/profiles';
import type { DemandDraft } from '@app/assistant';

/** A demand as it is being written: the assistant reads it and stores nothing. */
export class DemandDraftDto implements DemandDraft {
  @ApiProperty({ example: '布匹瑕疵自动检测', maxLength: LIMITS.title })
  @IsString()
  @Length(1, LIMITS.title)
  @IsNotBlank()
  title: string;

  @ApiPropertyOptional({
    example: '我们是一家纺织厂，验布靠人工，漏检多，想用摄像头自动找出布面上的破洞和污渍。',
    maxLength: LIMITS.longText,
  })
  @Omittable()
  @IsString()
  @MaxLength(LIMITS.longText)
  description?: string;

  @ApiPropertyOptional({ example: '330602', description: 'Where the enterprise is (GB/T 2260); Zhejiang by default' })
  @Omittable()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ example: '17', description: 'Industry already chosen (GB/T 4754); suggested otherwise' })
  @Omittable()
  @IsIndustryCode()
  industryCode?: string;

  @ApiPropertyOptional({ description: 'Budget, lower bound, CNY', example: 200000 })
  @Omittable()
  @IsAmount({ zero: true, max: LIMITS.price })
  budgetMin?: number;

  @ApiPropertyOptional({ description: 'Budget, upper bound, CNY', example: 800000 })
  @Omittable()
  @IsAmount({ zero: true, max: LIMITS.price })
  @IsNotLessThan('budgetMin')
  budgetMax?: number;
}
