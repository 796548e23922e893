import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { CreditEventsRepository } from './credit-events.repository';
import { CreditReportsRepository } from './credit-reports.repository';
import { CreditRulesRepository } from './credit-rules.repository';
import { CreditService } from './credit.service';

@Module({
  imports: [ConfigModule, PersistenceModule],
  providers: [CreditEventsRepository, CreditReportsRepository, CreditRulesRepository, CreditService],
  exports: [CreditService],
})
export class CreditModule {}
