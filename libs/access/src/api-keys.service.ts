import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Db } from '@app/persistence';
import {
  ForbiddenError,
  InvalidApiKeyRequestError,
  OrganisationNotFoundError,
  RoleOrganisationMismatchError,
} from './access.errors';
import { ROLE_ORGANISATION_KINDS, type Actor, type Role } from './actor';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository';

export interface NewApiKey {
  role: Role;
  organisationId?: string | null;
  brokerId?: string | null;
  label?: string;
  /** Days until it expires; API_KEY_TTL_DAYS when not given. */
  expiresInDays?: number;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * How long a process trusts a lookup while it hears revocations (channel `api_key_revoked`): the fallback for a
 * notice it missed. While it does not hear them (its listening connection is down, or not yet up), it trusts none.
 */
const AUTH_CACHE_MS = 30_000;

/** API keys: made with a random secret shown once, stored only as its sha256, looked up by that hash. */
@Injectable()
export class ApiKeysService implements OnModuleDestroy {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, { actor: Actor; until: number }>();
  private hearsRevocations = false;
  private stopListening?: () => Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly repository: ApiKeysRepository,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.stopListening?.();
  }

  /**
   * Issues a key. Only an admin (or the command line, as 'system') may. Every role but admin is bound to an
   * organisation; a broker key also to a broker of that organisation.
   */
  async create(issuer: Actor | 'system', key: NewApiKey): Promise<{ id: string; secret: string; expiresAt: string }> {
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
    const { id, expiresAt } = await this.repository.insert({
      secretHash: hash(secret),
      prefix,
      role: key.role,
      organisationId: key.organisationId ?? null,
      brokerId: key.brokerId ?? null,
      label: key.label ?? '',
      expiresInDays: key.expiresInDays ?? this.config.access.apiKeyTtlDays,
    });
    return { id, secret, expiresAt };
  }

  /**
   * The actor of a key. A lookup is trusted for AUTH_CACHE_MS (never past the key's expiry) while this process hears
   * revocations, which drop it at once; a busy API saves a database round trip per request.
   */
  async authenticate(secret: string): Promise<Actor | undefined> {
    this.listenForRevocations();
    const digest = hash(secret);
    const cached = this.trusted(digest.toString('hex'));
    if (cached) return cached;
    const found = await this.repository.actorOf(digest);
    if (!found) return undefined;
    if (this.hearsRevocations) {
      if (this.cache.size >= 10_000) this.cache.clear();
      const until = Math.min(Date.now() + AUTH_CACHE_MS, found.expiresAt.getTime());
      this.cache.set(digest.toString('hex'), { actor: found.actor, until });
    }
    return found.actor;
  }

  /** The actor of a key this process authenticated and may still trust, without a lookup; else undefined. */
  recentlyAuthenticated(secret: string): Actor | undefined {
    return this.trusted(hash(secret).toString('hex'));
  }

  private trusted(digest: string): Actor | undefined {
    const cached = this.cache.get(digest);
    return cached && cached.until > Date.now() ? cached.actor : undefined;
  }

  async revoke(issuer: Actor, id: string): Promise<boolean> {
    if (issuer.role !== 'admin') throw new ForbiddenError('revoke API keys');
    this.forget(id);
    return this.repository.revoke(id);
  }

  /** Keys for operators: what each is, when it was last used and when it expires; never a secret. */
  async list(
    issuer: Actor,
    query: { organisationId?: string; limit?: number; cursor?: string },
  ): Promise<{ items: ApiKeyRecord[]; nextCursor: string | null }> {
    if (issuer.role !== 'admin') throw new ForbiddenError('list API keys');
    return this.repository.list({ organisationId: query.organisationId }, query.limit ?? 20, query.cursor);
  }

  /** Starts, once, hearing the revocations every process announces (the API's processes; the CLI never asks). */
  private listenForRevocations(): void {
    if (this.stopListening) return;
    this.stopListening = this.db.listen(
      'api_key_revoked',
      (id) => this.forget(id),
      (listening) => {
        // Whatever was revoked while deaf may be in the cache: start again from the database.
        this.cache.clear();
        if (this.hearsRevocations && !listening) this.logger.warn('not hearing key revocations: caching no lookups');
        this.hearsRevocations = listening;
      },
    );
  }

  private forget(apiKeyId: string): void {
    for (const [digest, entry] of this.cache) if (entry.actor.apiKeyId === apiKeyId) this.cache.delete(digest);
  }
}
