// A credit record's score, from its events and the rule in force: pure.

/**
 * What a credit record is made of: each kind is an event that a row of the service proves (its source).
 * - contract_signed: a lead's contract signed with a registration number (the broker, its organisation, both parties)
 * - settled_on_exchange: that contract registered and settled through the online exchange
 * - closed_won / closed_lost: a lead closed either way (the broker and its organisation)
 * - offer_lapsed: an offer left unanswered past its service level (the broker and its organisation)
 * - accepted_idle: a lead accepted and then left without a move for the configured time
 * - declined_after_acceptance: a lead declined by the broker who had accepted it
 * - award_honoured / award_not_honoured: a challenge's award whose lead reached a contract, or was dropped (the owner)
 * - bad_faith_report: a report an operator filed with evidence (the party may answer it)
 */
export const CREDIT_EVENT_KINDS = [
  'contract_signed',
  'settled_on_exchange',
  'closed_won',
  'closed_lost',
  'offer_lapsed',
  'accepted_idle',
  'declined_after_acceptance',
  'award_honoured',
  'award_not_honoured',
  'bad_faith_report',
] as const;
export type CreditEventKind = (typeof CREDIT_EVENT_KINDS)[number];

export type CreditSubjectKind = 'organisation' | 'broker';

export interface CreditSubject {
  kind: CreditSubjectKind;
  id: string;
}

export interface CreditEvent {
  /** Stable: the same source gives the same id, whatever retried on the way. */
  id: string;
  subject: CreditSubject;
  kind: CreditEventKind;
  at: string;
  /** The row that proves it: a lead's event, an offer, a challenge or a report. */
  source: { kind: 'lead_event' | 'offer' | 'report'; id: string };
  leadId: string | null;
}

/** A version of the scoring rule, kept as data (credit_rules): a new version retires the one before, never deletes. */
export interface CreditRule {
  id: string;
  version: number;
  /** The score of a record without events. */
  base: number;
  /** Points per event of each kind; a kind absent counts 0. */
  points: Partial<Record<CreditEventKind, number>>;
  /** Events older than this many months before the score's date do not count. */
  windowMonths: number;
  source: string;
  createdAt: string;
  retiredAt: string | null;
}

export interface CreditPart {
  kind: CreditEventKind;
  count: number;
  points: number;
  subtotal: number;
}

export interface CreditScore {
  /** 0-100. */
  score: number;
  rule: { id: string; version: number };
  /** The base, then one part per kind of event in the window (points 0 included: they are still counted). */
  base: number;
  parts: CreditPart[];
  window: { from: string; to: string };
}

export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

/** The score of a subject's events on `asOf` under `rule`: the base plus each event's points, within [0, 100]. */
export function creditScore(events: readonly CreditEvent[], rule: CreditRule, asOf: Date): CreditScore {
  const from = new Date(asOf);
  from.setUTCMonth(from.getUTCMonth() - rule.windowMonths);
  const counts = new Map<CreditEventKind, number>();
  for (const e of events) {
    const at = new Date(e.at).getTime();
    if (at < from.getTime() || at > asOf.getTime()) continue;
    counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  }
  const parts = CREDIT_EVENT_KINDS.filter((k) => counts.has(k)).map((kind) => {
    const count = counts.get(kind)!;
    const points = rule.points[kind] ?? 0;
    return { kind, count, points, subtotal: round(count * points) };
  });
  const raw = rule.base + parts.reduce((s, p) => s + p.subtotal, 0);
  return {
    score: round(Math.min(SCORE_MAX, Math.max(SCORE_MIN, raw))),
    rule: { id: rule.id, version: rule.version },
    base: rule.base,
    parts,
    window: { from: from.toISOString(), to: asOf.toISOString() },
  };
}

/** How many events of each kind (all kinds, zeros included): what everyone may see of a record. */
export function creditCounts(events: readonly CreditEvent[]): Record<CreditEventKind, number> {
  const counts = Object.fromEntries(CREDIT_EVENT_KINDS.map((k) => [k, 0])) as Record<CreditEventKind, number>;
  for (const e of events) counts[e.kind]++;
  return counts;
}

const round = (x: number) => Math.round(x * 10) / 10;
