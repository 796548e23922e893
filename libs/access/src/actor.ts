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
