import type { Actor, Role } from './actor';

/**
 * Who may do what: the one place where authorisation is decided. Controllers authenticate; services ask these
 * functions before they read or write, so HTTP, bulk import and jobs follow the same rules.
 */
export type ProfileKind = 'achievement' | 'demand' | 'expert' | 'broker';

/** The kinds of profile each role manages for its own organisation. */
const WRITABLE: Record<Role, readonly ProfileKind[]> = {
  admin: ['achievement', 'demand', 'expert', 'broker'],
  enterprise: ['demand'],
  institution: ['achievement', 'expert'],
  programme: ['expert'],
  broker: [],
};

/** May the actor create or change a profile of this kind owned by this organisation? */
export function mayWrite(actor: Actor, kind: ProfileKind, ownerOrganisationId: string): boolean {
  if (actor.role === 'admin') return true;
  return WRITABLE[actor.role].includes(kind) && actor.organisationId === ownerOrganisationId;
}

export function writableKinds(role: Role): readonly ProfileKind[] {
  return WRITABLE[role];
}

/** The owner of a record (and an admin) sees all of it, drafts, private and withdrawn records included. */
export function isOwnerOrAdmin(actor: Actor, ownerOrganisationId: string): boolean {
  return actor.role === 'admin' || actor.organisationId === ownerOrganisationId;
}

/**
 * A demand's confidential fields are shown to its owner and an admin only; everyone else gets its public form.
 * (The broker of an accepted lead will join them when leads exist.)
 */
export function demandForm(actor: Actor, ownerOrganisationId: string): 'full' | 'public' {
  return isOwnerOrAdmin(actor, ownerOrganisationId) ? 'full' : 'public';
}

export function mayManageOrganisations(actor: Actor): boolean {
  return actor.role === 'admin';
}
