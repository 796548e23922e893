import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ForbiddenError,
  InvalidApiKeyRequestError,
  OrganisationNotFoundError,
  RoleOrganisationMismatchError,
} from './access.errors';
import { ROLE_ORGANISATION_KINDS, type Actor, type Role } from './actor';
import { ApiKeysRepository } from './api-keys.repository';

export interface NewApiKey {
  role: Role;
  organisationId?: string | null;
  brokerId?: string | null;
  label?: string;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest();

/** API keys: made with a random secret shown once, stored only as its sha256, looked up by that hash. */
const AUTH_CACHE_MS = 30_000;

@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { actor: Actor; until: number }>();

  constructor(private readonly repository: ApiKeysRepository) {}

  /**
   * Issues a key. Only an admin (or the command line, as 'system') may. Every role but admin is bound to an
   * organisation; a broker key also to a broker of that organisation.
   */
  async create(issuer: Actor | 'system', key: NewApiKey): Promise<{ id: string; secret: string }> {
    if (issuer !== 'system' && issuer.role !== 'admin') throw new ForbiddenError('issue API keys');
    if (key.role !== 'admin' && !key.organisationId)
      throw new InvalidApiKeyRequestError('organisationId is required for this role');
    if ((key.role === 'broker') !== Boolean(key.brokerId)) {
      throw new InvalidApiKeyRequestError('brokerId is required for the broker role, and only for it');
    }
    if (key.organisationId) {
      const kind = await this.repository.organisationKind(key.organisationId);
      if (!kind) throw new OrganisationNotFoundError(key.organisationId);
      if (!ROLE_ORGANISATION_KINDS[key.role].includes(kind)) throw new RoleOrganisationMismatchError(key.role, kind);
    }
    if (key.brokerId && (await this.repository.organisationOfBroker(key.brokerId)) !== key.organisationId) {
      throw new InvalidApiKeyRequestError('brokerId must be a broker of organisationId');
    }
    const prefix = randomBytes(4).toString('hex');
    const secret = `tt_${prefix}_${randomBytes(24).toString('base64url')}`;
    const id = await this.repository.insert({
      secretHash: hash(secret),
      prefix,
      role: key.role,
      organisationId: key.organisationId ?? null,
      brokerId: key.brokerId ?? null,
      label: key.label ?? '',
    });
    return { id, secret };
  }

  /**
   * The actor of a key. Lookups are cached for AUTH_CACHE_MS (30 s): a revoked key keeps working at most that long
   * in a process that saw it recently, and a busy API saves a database round trip per request.
   */
  async authenticate(secret: string): Promise<Actor | undefined> {
    const cached = this.recentlyAuthenticated(secret);
    if (cached) return cached;
    const digest = hash(secret).toString('hex');
    const actor = await this.repository.actorOf(hash(secret));
    if (this.cache.size >= 10_000) this.cache.clear();
    if (actor) this.cache.set(digest, { actor, until: Date.now() + AUTH_CACHE_MS });
    return actor;
  }

  /** The actor of a key this process authenticated within AUTH_CACHE_MS, without a lookup; else undefined. */
  recentlyAuthenticated(secret: string): Actor | undefined {
    const cached = this.cache.get(hash(secret).toString('hex'));
    return cached && cached.until > Date.now() ? cached.actor : undefined;
  }

  async revoke(id: string): Promise<boolean> {
    this.cache.clear();
    return this.repository.revoke(id);
  }
}
