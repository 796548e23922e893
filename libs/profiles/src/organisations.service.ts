import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayManageOrganisations, OrganisationNotFoundError, type Actor } from '@app/access';
import { OrganisationsRepository, type NewOrganisation, type WebhookTarget } from './organisations.repository';
import { OrganisationKindMismatchError, rethrowCreditCodeTaken } from './profiles.errors';
import type { Organisation, OrganisationKind, Page, ProfileKind } from './profiles.types';

export type { NewOrganisation, WebhookTarget };

/** The organisation kinds that may own each kind of profile. */
const OWNER_KINDS: Record<ProfileKind, readonly OrganisationKind[]> = {
  achievement: ['university', 'institute', 'enterprise'],
  // A programme posts the needs it gathers in its counties, and may publish them as challenges.
  demand: ['enterprise', 'programme'],
  expert: ['university', 'institute', 'enterprise', 'programme', 'transfer_organisation'],
  broker: ['transfer_organisation'],
};

/** Organisations: universities, institutes, enterprises, transfer organisations, commissioner programmes. */
@Injectable()
export class OrganisationsService {
  constructor(private readonly repository: OrganisationsRepository) {}

  async create(actor: Actor | 'system', input: NewOrganisation): Promise<Organisation> {
    if (actor !== 'system' && !mayManageOrganisations(actor)) throw new ForbiddenError('create organisations');
    return this.repository.insert(input).catch((e: unknown) => rethrowCreditCodeTaken(e, input.creditCode));
  }

  async get(id: string): Promise<Organisation> {
    const organisation = await this.repository.find(id);
    if (!organisation) throw new OrganisationNotFoundError(id);
    return organisation;
  }

  async update(actor: Actor, id: string, patch: Partial<NewOrganisation>): Promise<Organisation> {
    if (!mayManageOrganisations(actor)) throw new ForbiddenError('change organisations');
    const organisation = await this.repository
      .update(id, patch)
      .catch((e: unknown) => rethrowCreditCodeTaken(e, patch.creditCode));
    if (!organisation) throw new OrganisationNotFoundError(id);
    return organisation;
  }

  list(limit: number, cursor?: string, kind?: OrganisationKind): Promise<Page<Organisation>> {
    return this.repository.list(limit, cursor, kind);
  }

  /** The organisation exists and is of a kind that may own this kind of profile. */
  async requireOwnerOf(id: string, profileKind: ProfileKind): Promise<void> {
    const organisation = await this.get(id);
    if (!OWNER_KINDS[profileKind].includes(organisation.kind)) {
      throw new OrganisationKindMismatchError(profileKind, organisation.kind);
    }
  }

  /** Sets or (with nulls) removes the organisation's webhook; the caller checks who may. */
  async setWebhook(id: string, webhook: { url: string; secret: string } | null): Promise<void> {
    if (!(await this.repository.setWebhook(id, webhook?.url ?? null, webhook?.secret ?? null)))
      throw new OrganisationNotFoundError(id);
  }

  /** The webhook offers to this broker are announced on, if its organisation has one. */
  webhookOfBroker(brokerId: string): Promise<WebhookTarget | undefined> {
    return this.repository.webhookOfBroker(brokerId);
  }

  /** The organisation's own webhook (challenge invitations are announced on it), if it has one. */
  webhookOf(organisationId: string): Promise<WebhookTarget | undefined> {
    return this.repository.webhookOf(organisationId);
  }
}
