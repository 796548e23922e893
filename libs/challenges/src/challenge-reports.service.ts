import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayReportChallenges, type Actor } from '@app/access';
import { ChallengeReportsRepository, type ChallengeFunnel } from './challenge-reports.repository';

export type { ChallengeFunnel };

/** What operators watch of challenges: the funnel of those opened in a period. */
@Injectable()
export class ChallengeReportsService {
  constructor(private readonly reports: ChallengeReportsRepository) {}

  async funnel(actor: Actor, from: string, to: string): Promise<ChallengeFunnel> {
    if (!mayReportChallenges(actor)) throw new ForbiddenError('read the challenge funnel');
    return this.reports.funnel(from, to);
  }
}
