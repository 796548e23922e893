/** What an API key may do: one role, bound to an organisation (and, for a broker, to that broker's profile). */
export type Role = 'admin' | 'enterprise' | 'institution' | 'broker' | 'programme';

export const ROLES: readonly Role[] = ['admin', 'enterprise', 'institution', 'broker', 'programme'];

/** Who is making a request, as established from the API key; or the service itself, working for an organisation. */
export interface Actor {
  apiKeyId: string;
  role: Role;
  organisationId: string | null;
  brokerId: string | null;
  /** Set on the service's own work (onBehalfOf); such an actor never comes from a key. */
  system?: true;
}

/** The actor recorded on changes nobody asked for by hand: matching, service-level lapses, assignment sweeps. */
export const SYSTEM_ACTOR_ID = 'system';

/**
 * The service working for an organisation (finding leads for its new demand, say): it reads what that
 * organisation's own key would read, so that what it stores may be shown to that organisation.
 */
export function onBehalfOf(organisationId: string, role: Role): Actor {
  return { apiKeyId: SYSTEM_ACTOR_ID, role, organisationId, brokerId: null, system: true };
}

/**
 * The organisation kinds a key of each role may be bound to: those that may own what the role writes (an enterprise
 * key for an enterprise; institutions' keys for universities, institutes and enterprises with their own results).
 */
export const ROLE_ORGANISATION_KINDS: Record<Role, readonly string[]> = {
  admin: [],
  enterprise: ['enterprise'],
  institution: ['university', 'institute', 'enterprise'],
  broker: ['transfer_organisation'],
  programme: ['programme'],
};
