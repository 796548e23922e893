import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ORGANISATION_KINDS, type OrganisationKind } from '../profiles.types';
import { PageQueryDto } from './list-query.dto';
import { LIMITS } from './limits';
import { IsNotBlank, IsRegionCode, NULL_MEANS_NULL, Nullable, Omittable } from './validators';

export class CreateOrganisationDto {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind: OrganisationKind;

  @ApiProperty({ example: '浙江某新能源科技有限公司', maxLength: LIMITS.title })
  @IsString()
  @Length(1, LIMITS.title)
  @IsNotBlank()
  name: string;

  @ApiProperty({ example: '330502' })
  @IsRegionCode()
  regionCode: string;

  @ApiPropertyOptional({ example: '91330502MA2B3C4D5E', description: 'Unified social credit code (18 characters)' })
  @Nullable()
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, {
    message: 'creditCode must be an 18-character unified social credit code',
  })
  creditCode?: string;
}

export class UpdateOrganisationDto extends PartialType(CreateOrganisationDto, NULL_MEANS_NULL) {}

/** `GET /v1/organisations`: a page, optionally of one kind. */
export class OrganisationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @Omittable()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;
}
