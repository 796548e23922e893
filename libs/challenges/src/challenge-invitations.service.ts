import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, mayOperate, onBehalfOf, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Jobs } from '@app/jobs';
import { WebhookSender } from '@app/leads';
import { MatchingService, type Match } from '@app/matching';
import { Db } from '@app/persistence';
import { OrganisationsService, ProfilesService } from '@app/profiles';
import { ChallengeNotEditableError, InvitationNotFoundError } from './challenges.errors';
import { ChallengesRepository } from './challenges.repository';
import {
  ChallengeInvitationsRepository,
  type ChallengeInvitation,
  type NewInvitation,
} from './challenge-invitations.repository';

/**
 * Solvers invited by matching: when a challenge opens, its public text (title and statement) is matched with its
 * demand's constraints against achievements and experts, and the owners of the best CHALLENGE_INVITATIONS, eligible and one per
 * organisation, are invited with the match's explanation, each delivered to its organisation's inbox and webhook by
 * a job of its own (committed with the invitation: exactly one invitation per organisation, whatever runs twice).
 */
@Injectable()
export class ChallengeInvitationsService {
  private readonly logger = new Logger(ChallengeInvitationsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly challenges: ChallengesRepository,
    private readonly invitations: ChallengeInvitationsRepository,
    private readonly profiles: ProfilesService,
    private readonly organisations: OrganisationsService,
    private readonly matching: MatchingService,
    private readonly jobs: Jobs,
    private readonly webhooks: WebhookSender,
  ) {}

  /** `invite-solvers`: the invitations of an open challenge (none once it is no longer open). */
  async invite(challengeId: string): Promise<number> {
    const c = await this.challenges.find(challengeId);
    const wanted = this.config.challenges.invitations;
    if (!c || c.state !== 'open' || wanted === 0) return 0;
    const demand = await this.profiles.get(onBehalfOf(c.organisationId, 'enterprise'), 'demand', c.demandId);
    const text = `${c.title}\n${c.statement}`;
    const found = await Promise.all(
      (['achievement', 'expert'] as const).map((k) => this.matching.forChallenge(demand, text, k, wanted * 3)),
    );
    const ranked: Match[] = found.flat().sort((a, b) => b.total - a.total);
    const chosen: NewInvitation[] = [];
    const seen = new Set<string>([c.organisationId]);
    for (const m of ranked) {
      const organisationId = m.record.organisationId;
      if (chosen.length >= wanted || seen.has(organisationId)) continue;
      seen.add(organisationId);
      const org = await this.organisations.get(organisationId);
      if (c.eligibleKinds.length > 0 && !c.eligibleKinds.includes(org.kind)) continue;
      if (c.eligibleRegions.length > 0 && !c.eligibleRegions.some((r) => org.regionCode.startsWith(r))) continue;
      chosen.push({
        organisationId,
        partnerKind: m.kind as 'achievement' | 'expert',
        partnerId: m.id,
        score: m.total,
        match: { total: m.total, parts: m.parts, explanation: m.explanation, similarity: m.similarity },
      });
    }
    const made = await this.db.transaction(async (tx) => {
      const ids = await this.invitations.insert(tx, challengeId, chosen);
      for (const invitationId of ids) await this.jobs.add(tx, 'deliver-invitation', { invitationId });
      return ids.length;
    });
    this.logger.log({ challengeId, invited: made }, 'solvers invited');
    return made;
  }

  /**
   * `deliver-invitation`: into the organisation's inbox (once), then announced on its webhook, if it has one, by the
   * leads' WebhookSender (signed, the invitation id as idempotency key, retried, listed and replayed with offers').
   */
  async deliver(invitationId: string, opts: { finalAttempt: boolean; replay: boolean }): Promise<string> {
    if (!(await this.invitations.markDelivered(invitationId))) return 'gone';
    const invitation = (await this.invitations.find(invitationId))!;
    // Only the challenge's public side leaves: its title, prize, deadline, and why this organisation was chosen.
    const message = {
      event: 'challenge.invited' as const,
      invitationId: invitation.id,
      challengeId: invitation.challengeId,
      title: invitation.challengeTitle,
      prizeAmount: invitation.prizeAmount,
      deadline: invitation.deadline,
      partnerKind: invitation.partnerKind,
      partnerId: invitation.partnerId,
      score: invitation.score,
      explanation: invitation.explanation,
    };
    const target = await this.organisations.webhookOf(invitation.organisationId);
    return this.webhooks.send({ invitationId }, target, message, opts);
  }

  /** An operator's replay of a failed webhook announcement: a fresh series of attempts. */
  async replayWebhook(actor: Actor, invitationId: string): Promise<void> {
    if (!mayOperate(actor)) throw new ForbiddenError('replay webhook deliveries');
    await this.db.transaction(async (tx) => {
      const attempts = await this.webhooks.reopen(tx, { invitationId });
      if (attempts === undefined) throw new InvitationNotFoundError(invitationId);
      await this.jobs.add(tx, 'deliver-invitation', { invitationId, replay: attempts });
    });
    this.logger.log({ invitationId }, 'invitation webhook replayed');
  }

  /** The actor's organisation's invitations. */
  async inbox(actor: Actor): Promise<ChallengeInvitation[]> {
    return actor.organisationId ? this.invitations.inbox(actor.organisationId, 100) : [];
  }

  async decline(actor: Actor, id: string, reason: string): Promise<ChallengeInvitation> {
    const invitation = await this.invitations.find(id);
    if (!invitation || invitation.organisationId !== actor.organisationId || !invitation.deliveredAt)
      throw new InvitationNotFoundError(id);
    if (!reason.trim()) throw new ChallengeNotEditableError('reason', 'a decline says why');
    await this.invitations.decline(id, reason);
    return (await this.invitations.find(id))!;
  }
}
