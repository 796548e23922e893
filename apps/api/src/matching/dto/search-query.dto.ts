import { Omittable } from '@app/profiles';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsNotBlank } from '@app/profiles';
import { MatchQueryDto } from './match-query.dto';

export const SEARCHABLE = {
  achievements: 'achievement',
  demands: 'demand',
  experts: 'expert',
  brokers: 'broker',
} as const;

export class SearchQueryDto extends MatchQueryDto {
  @ApiProperty({ example: '动力电池回收', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsNotBlank()
  q: string;

  @ApiProperty({ enum: Object.keys(SEARCHABLE) })
  @IsIn(Object.keys(SEARCHABLE))
  collection: keyof typeof SEARCHABLE;

  @ApiPropertyOptional({ enum: ['hybrid', 'dense', 'lexical'], default: 'hybrid' })
  @Omittable()
  @IsIn(['hybrid', 'dense', 'lexical'])
  mode?: 'hybrid' | 'dense' | 'lexical';
}
