import { Omittable } from '@app/profiles';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IsAmount,
  IsRfc3339Date,
  PageQueryDto,
  RFC3339_DATE_TEXT,
  TRANSACTION_MODES,
  type TransactionMode,
} from '@app/profiles';
import {
  DECLINE_REASONS,
  LEAD_STATES,
  MANUAL_TARGETS,
  type DeclineReason,
  type LeadState,
  type ManualTarget,
} from '../lead-lifecycle';
import type { PartnerKind } from '../leads.types';

/** An introduction asked for by hand (an operator or a broker). */
export class IntroduceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  demandId: string;

  @ApiProperty({ enum: ['achievement', 'expert'] })
  @IsIn(['achievement', 'expert'])
  partnerKind: PartnerKind;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  partnerId: string;
}

export class ContractDto {
  @ApiProperty({ example: 3_000_000, description: 'Contract amount, CNY' })
  @IsAmount({ max: 1e13 })
  amount: number;

  @ApiPropertyOptional({ example: 2_000_000, description: 'Amount actually paid, CNY; the contract amount if omitted' })
  @Omittable()
  @IsAmount({ zero: true, max: 1e13 })
  paidAmount?: number;

  @ApiProperty({ enum: TRANSACTION_MODES })
  @IsIn(TRANSACTION_MODES)
  transactionMode: TransactionMode;

  @ApiProperty({ example: '2026330500000123', description: '技术合同登记号 (contract registration number)' })
  @IsString()
  @Matches(/^[0-9A-Za-z-]{6,40}$/, { message: 'registrationNumber must be 6-40 letters, digits or dashes' })
  registrationNumber: string;

  @ApiProperty({ description: 'Traded, registered and settled through the online exchange' })
  @IsBoolean()
  settledOnExchange: boolean;

  @ApiPropertyOptional({ default: false, description: 'The prize-winning project of a challenge (张榜招贤)' })
  @Omittable()
  @IsBoolean()
  challengeWinner?: boolean;

  @ApiPropertyOptional({
    example: '2026-11-20',
    description: `Date of signature; today (UTC) if omitted. ${RFC3339_DATE_TEXT}`,
  })
  @Omittable()
  @IsRfc3339Date()
  signedAt?: string;
}

/** A move of a lead to its next state, with what that state needs. */
export class TransitionDto {
  @ApiProperty({ enum: MANUAL_TARGETS })
  @IsIn(MANUAL_TARGETS)
  to: ManualTarget;

  @ApiPropertyOptional({ enum: DECLINE_REASONS, description: 'Required when declining' })
  @ValidateIf((o: TransitionDto) => o.to === 'declined' || o.reason !== undefined)
  @IsDefined({ message: 'reason is required when to is declined' })
  @IsIn(DECLINE_REASONS)
  reason?: DeclineReason;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Required when the reason is other' })
  @ValidateIf((o: TransitionDto) => o.reason === 'other' || o.note !== undefined)
  @IsString()
  @Length(1, 1000, { message: 'note must be 1-1000 characters (required when reason is other)' })
  note?: string;

  @ApiPropertyOptional({ type: ContractDto, description: 'Required when to is contract_signed' })
  @ValidateIf((o: TransitionDto) => o.to === 'contract_signed' || o.contract !== undefined)
  @IsDefined({ message: 'contract is required when to is contract_signed' })
  @ValidateNested()
  @Type(() => ContractDto)
  contract?: ContractDto;
}

export class AssignDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'This broker; the best eligible one if omitted' })
  @Omittable()
  @IsUUID()
  brokerId?: string;
}

export class LeadListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEAD_STATES })
  @Omittable()
  @IsIn(LEAD_STATES)
  state?: LeadState;

  @ApiPropertyOptional({
    enum: ['soon', 'overdue'],
    description: 'Offered leads due within a quarter of the service level, or past it',
  })
  @Omittable()
  @IsIn(['soon', 'overdue'])
  due?: 'soon' | 'overdue';

  @ApiPropertyOptional({ description: 'Only leads escalated to the operators (admin)' })
  @Omittable()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  escalated?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @Omittable()
  @IsUUID()
  demandId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An achievement or expert' })
  @Omittable()
  @IsUUID()
  partnerId?: string;
}

export class WebhookDto {
  @ApiProperty({ example: 'https://broker-office.example.cn/hooks/leads' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  // Credentials in the URL would be sent with every call and logged by proxies; the signature authenticates instead.
  @ValidateBy(
    {
      name: 'hasNoCredentials',
      validator: { validate: (v: unknown) => typeof v !== 'string' || !URL.canParse(v) || !hasCredentials(new URL(v)) },
    },
    { message: 'url must not contain a user name or password' },
  )
  url: string;
}

const hasCredentials = (url: URL) => url.username !== '' || url.password !== '';
