import { Omittable } from '@app/profiles';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
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
}
