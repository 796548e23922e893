import { Injectable } from '@nestjs/common';
import { demandForm, ForbiddenError, isOwnerOrAdmin, mayWrite, type Actor } from '@app/access';
import { IndexNotifier, Jobs } from '@app/jobs';
import { Db } from '@app/persistence';
import { embeddingHash } from './embedding-text';
import { OrganisationsService } from './organisations.service';
import {
  InvalidProfileError,
  OrganisationRequiredError,
  ProfileNotFoundError,
  rethrowProfileWriteError,
} from './profiles.errors';
import { ProfilesRepository, type ProfileFilter } from './profiles.repository';
import { isPublished, publicFormOf } from './visibility';
import type { Demand, Page, Profile, ProfileByKind, ProfileInput, ProfileKind } from './profiles.types';

export interface ListOptions extends Omit<ProfileFilter, 'publicOnlyExceptFor'> {
  limit?: number;
  cursor?: string;
}

/**
 * Create, read, update, withdraw and list the four kinds of profile, for an actor. A write that changes a record's
 * text commits its `embed-profile` job with it; reads return what the actor may see.
 */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly db: Db,
    private readonly repository: ProfilesRepository,
    private readonly organisations: OrganisationsService,
    private readonly jobs: Jobs,
    private readonly notifier: IndexNotifier,
  ) {}

  async create<K extends ProfileKind>(
    actor: Actor,
    kind: K,
    input: ProfileInput<K> & { organisationId?: string },
    requestId?: string,
  ): Promise<ProfileByKind[K]> {
    const { organisationId: requested, ...rest } = input;
    const values = rest as ProfileInput<K>;
    const organisationId = actor.role === 'admin' ? requested : (actor.organisationId ?? undefined);
    if (!organisationId) throw new OrganisationRequiredError();
    if (requested && requested !== organisationId)
      throw new ForbiddenError(`create a ${kind} for another organisation`);
    if (!mayWrite(actor, kind, organisationId)) throw new ForbiddenError(`create a ${kind}`);
    await this.organisations.requireOwnerOf(organisationId, kind);
    const hash = embeddingHash(kind, values);
    const created = await this.db
      .transaction(async (tx) => {
        const record = await this.repository.insert(kind, organisationId, values, hash, tx);
        await this.jobs.add(tx, 'embed-profile', { kind, id: record.id, contentHash: hash, requestId });
        return record;
      })
      .catch((e: unknown) => rethrowProfileWriteError(e, kind, values));
    return this.visibleTo(actor, kind, created);
  }

  async get<K extends ProfileKind>(actor: Actor, kind: K, id: string): Promise<ProfileByKind[K]> {
    const record = await this.repository.findById(kind, id, this.db.pool);
    if (!record || !this.maySee(actor, kind, record)) throw new ProfileNotFoundError(kind, id);
    return this.visibleTo(actor, kind, record);
  }

  async update<K extends ProfileKind>(
    actor: Actor,
    kind: K,
    id: string,
    patch: ProfileInput<K>,
    requestId?: string,
  ): Promise<ProfileByKind[K]> {
    const updated = await this.db
      .transaction(async (tx) => {
        const current = await this.repository.findById(kind, id, tx, true);
        if (!current || !this.maySee(actor, kind, current)) throw new ProfileNotFoundError(kind, id);
        if (!mayWrite(actor, kind, current.organisationId)) throw new ForbiddenError(`change this ${kind}`);
        requireConsistent(kind, { ...current, ...patch });
        const hash = embeddingHash(kind, { ...current, ...patch });
        const record = await this.repository.update(kind, id, patch, hash, tx);
        // A new text waits for its vector: the job commits with it.
        if (record.embedding.status === 'pending')
          await this.jobs.add(tx, 'embed-profile', { kind, id, contentHash: hash, requestId });
        return record;
      })
      .catch((e: unknown) => rethrowProfileWriteError(e, kind, patch));
    await this.notifier.changed(kind);
    return this.visibleTo(actor, kind, updated);
  }

  async withdraw<K extends ProfileKind>(actor: Actor, kind: K, id: string): Promise<ProfileByKind[K]> {
    const withdrawn = await this.db.transaction(async (tx) => {
      const current = await this.repository.findById(kind, id, tx, true);
      if (!current || !this.maySee(actor, kind, current)) throw new ProfileNotFoundError(kind, id);
      if (!mayWrite(actor, kind, current.organisationId)) throw new ForbiddenError(`withdraw this ${kind}`);
      return this.repository.withdraw(kind, id, tx);
    });
    await this.notifier.changed(kind);
    return this.visibleTo(actor, kind, withdrawn);
  }

  async list<K extends ProfileKind>(actor: Actor, kind: K, options: ListOptions): Promise<Page<ProfileByKind[K]>> {
    const { limit = 20, cursor, ...filter } = options;
    const publicOnlyExceptFor = actor.role === 'admin' ? undefined : actor.organisationId;
    const page = await this.repository.list(kind, { ...filter, publicOnlyExceptFor }, limit, cursor);
    return { ...page, items: page.items.map((p) => this.visibleTo(actor, kind, p)) };
  }

  /** May the actor see this record at all: its owner and admins always; others only what is published. */
  maySee(actor: Actor, kind: ProfileKind, record: Profile | undefined): record is Profile {
    if (!record) return false;
    return isOwnerOrAdmin(actor, record.organisationId) || isPublished(kind, record);
  }

  /** What the actor may read of a record: a demand's confidential fields are blanked for everyone but its owner. */
  visibleTo<K extends ProfileKind>(actor: Actor, kind: K, record: ProfileByKind[K]): ProfileByKind[K] {
    if (kind !== 'demand') return record;
    const demand = record as Demand;
    if (demandForm(actor, demand.organisationId) === 'full') return record;
    return publicFormOf(demand) as ProfileByKind[K];
  }
}

/**
 * Rules across fields that a PATCH can break against what is stored (the DTO checks them within one body only): a
 * demand's budgetMin may not exceed its budgetMax.
 */
function requireConsistent(kind: ProfileKind, merged: Record<string, unknown>): void {
  if (kind !== 'demand') return;
  const { budgetMin, budgetMax } = merged;
  if (typeof budgetMin === 'number' && typeof budgetMax === 'number' && budgetMin > budgetMax) {
    const problem = `budgetMin (${budgetMin}) must not exceed budgetMax (${budgetMax})`;
    throw new InvalidProfileError([
      { field: 'budgetMin', problems: [problem] },
      { field: 'budgetMax', problems: [problem] },
    ]);
  }
}
