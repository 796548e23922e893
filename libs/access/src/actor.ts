/** What an API key may do: one role, bound to an organisation (and, for a broker, to that broker's profile). */
export type Role = 'admin' | 'enterprise' | 'institution' | 'broker' | 'programme';

export const ROLES: readonly Role[] = ['admin', 'enterprise', 'institution', 'broker', 'programme'];

/** Who is making a request, as established from the API key. */
export interface Actor {
  apiKeyId: string;
  role: Role;
  organisationId: string | null;
  brokerId: string | null;
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
