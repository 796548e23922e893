// Owns credit records (信用记录) of organisations and brokers: the events, each read from the row that proves it (a
// read model over the leads' and challenges' tables, which it never writes), the scoring rule kept as versioned
// data, and the score with its parts. It must not change a lead or a challenge; its own tables are its rules.
export { CreditModule } from './credit.module';
export { CreditError, CreditReportNotFoundError, CreditSubjectNotFoundError } from './credit.errors';
export type { CreditReport } from './credit-reports.repository';
export * from './dto/credit-report.dto';
export * from './dto/credit-rule.dto';
export { creditKey, CreditService, type CreditRecord, type CreditSummary } from './credit.service';
export * from './credit-score';
