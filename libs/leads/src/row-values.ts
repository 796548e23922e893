import { OPEN_STATES } from './lead-lifecycle';

/** An ISO timestamp of a timestamptz column, or null. */
export const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);

/** The open lead states as an SQL list, for `state IN (…)`. */
export const OPEN = OPEN_STATES.map((s) => `'${s}'`).join(', ');
