import { Omittable, PageQueryDto } from '@app/profiles';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ROLES, type Role } from '@app/access';

export class CreateApiKeyDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for every role but admin' })
  @Omittable()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for the broker role: the broker this key acts for' })
  @Omittable()
  @IsUUID()
  brokerId?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @Omittable()
  @IsString()
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 3650,
    description: 'Days until the key expires (API_KEY_TTL_DAYS: 365)',
  })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class ListApiKeysQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this organisation's keys" })
  @Omittable()
  @Type(() => String)
  @IsUUID()
  organisationId?: string;
}
