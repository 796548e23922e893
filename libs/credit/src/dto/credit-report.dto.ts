import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsNotBlank, Omittable } from '@app/profiles';

export class EvidenceDto {
  @ApiProperty({ example: '2026-10-12 签约后拒绝按合同支付首期款，见往来邮件', maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  @IsNotBlank()
  description: string;

  @ApiPropertyOptional({ example: 'https://example.org/evidence/123', maxLength: 500 })
  @Omittable()
  @IsString()
  @Length(1, 500)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  url?: string;
}

/** A bad-faith report an operator files about an organisation or a broker, with its evidence. */
export class FileCreditReportDto {
  @ApiProperty({ enum: ['organisation', 'broker'] })
  @IsIn(['organisation', 'broker'])
  subjectKind: 'organisation' | 'broker';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  subjectId: string;

  @ApiProperty({ example: '签订技术合同后无故拒绝履约', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @IsNotBlank()
  summary: string;

  @ApiProperty({ type: [EvidenceDto], minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence: EvidenceDto[];
}

/** The party's answer to a report about it: shown beside the report. */
export class AnswerCreditReportDto {
  @ApiProperty({ example: '首期款已于 2026-10-20 支付，附银行回单', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @IsNotBlank()
  answer: string;
}
