import { Injectable } from '@nestjs/common';
import { Db } from '@app/persistence';

export type FunnelDimension = 'organisation' | 'broker' | 'industry' | 'region';

type Row = Record<string, unknown>;

const DIMENSION_SQL: Record<FunnelDimension, { key: string; label: string }> = {
  // The transfer organisation of the broker who holds (or last held) the lead.
  organisation: { key: 'bo.id::text', label: 'bo.name' },
  broker: { key: 'b.id::text', label: 'b.name' },
  // GB/T 4754 division (two digits) and city (GB/T 2260, four digits + 00) of the demand.
  industry: { key: 'left(d.industry_code, 2)', label: 'left(d.industry_code, 2)' },
  region: { key: "left(d.region_code, 4) || '00'", label: "left(d.region_code, 4) || '00'" },
};

/** The SQL of the operators' reports: read-only, over leads and the profiles and organisations they join. */
@Injectable()
export class LeadReportsRepository {
  constructor(private readonly db: Db) {}

  /** Leads created in [from, to) and the stages they reached, grouped by one dimension. */
  funnel(by: FunnelDimension, from: string, to: string): Promise<Row[]> {
    const dim = DIMENSION_SQL[by];
    return this.db.query<Row>(
      `WITH reached AS (
         SELECT e.lead_id,
                bool_or(e.to_state = 'offered') AS offered,
                bool_or(e.to_state = 'accepted') AS accepted,
                bool_or(e.to_state = 'contract_signed') AS contracted
           FROM lead_events e GROUP BY e.lead_id)
       SELECT ${dim.key} AS key, ${dim.label} AS label, count(*)::int AS created,
              count(*) FILTER (WHERE r.offered)::int AS offered,
              count(*) FILTER (WHERE r.accepted)::int AS accepted,
              count(*) FILTER (WHERE r.contracted)::int AS contracted,
              COALESCE(sum(l.contract_amount) FILTER (WHERE r.contracted), 0)::float8 AS amount
         FROM leads l
         JOIN reached r ON r.lead_id = l.id
         JOIN demands d ON d.id = l.demand_id
         LEFT JOIN LATERAL (SELECT broker_id FROM lead_offers WHERE lead_id = l.id ORDER BY attempt DESC LIMIT 1) last
           ON true
         LEFT JOIN brokers b ON b.id = COALESCE(l.broker_id, last.broker_id)
         LEFT JOIN organisations bo ON bo.id = b.organisation_id
        WHERE l.created_at >= $1::date AND l.created_at < $2::date
        GROUP BY 1, 2 ORDER BY created DESC, key`,
      [from, to],
    );
  }

  /** Transfer organisations by the contract amount their brokers signed in `year`. */
  ranking(year: number): Promise<Row[]> {
    return this.db.query<Row>(
      `SELECT o.id, o.name, count(*)::int AS contracts, sum(l.contract_amount)::float8 AS amount
         FROM leads l JOIN brokers b ON b.id = l.broker_id JOIN organisations o ON o.id = b.organisation_id
        WHERE l.state IN ('contract_signed', 'closed_won')
          AND l.contract_signed_at >= make_date($1, 1, 1) AND l.contract_signed_at < make_date($1 + 1, 1, 1)
        GROUP BY o.id, o.name ORDER BY amount DESC, o.name`,
      [year],
    );
  }

  /**
   * Each transfer organisation (one with brokers) over [from, to): contracts its brokers signed and their amount;
   * offers made to them, lapsed, and the median hours to answer; leads they accepted and how many of those have
   * reached a signed contract since.
   */
  performance(from: Date, to: Date): Promise<Row[]> {
    return this.db.query<Row>(
      `WITH orgs AS (
         SELECT DISTINCT o.id, o.name FROM organisations o JOIN brokers b ON b.organisation_id = o.id),
       contracts AS (
         SELECT b.organisation_id AS id, count(*)::int AS contracts, sum(l.contract_amount)::float8 AS amount
           FROM leads l JOIN brokers b ON b.id = l.broker_id
          WHERE l.state IN ('contract_signed', 'closed_won') AND l.contract_signed_at >= $1 AND l.contract_signed_at < $2
          GROUP BY b.organisation_id),
       offers AS (
         SELECT b.organisation_id AS id, count(*)::int AS offers,
                count(*) FILTER (WHERE o.outcome = 'expired')::int AS lapsed,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.responded_at - o.offered_at) / 3600)
                  FILTER (WHERE o.outcome IN ('accepted', 'declined')) AS median_hours
           FROM lead_offers o JOIN brokers b ON b.id = o.broker_id
          WHERE o.offered_at >= $1 AND o.offered_at < $2
          GROUP BY b.organisation_id),
       accepted AS (
         SELECT b.organisation_id AS id, count(DISTINCT o.lead_id)::int AS accepted,
                count(DISTINCT o.lead_id) FILTER (WHERE l.contract_signed_at IS NOT NULL)::int AS converted
           FROM lead_offers o JOIN brokers b ON b.id = o.broker_id JOIN leads l ON l.id = o.lead_id
          WHERE o.outcome = 'accepted' AND o.responded_at >= $1 AND o.responded_at < $2
          GROUP BY b.organisation_id)
       SELECT g.id, g.name, coalesce(c.contracts, 0) AS contracts, coalesce(c.amount, 0) AS amount,
              coalesce(f.offers, 0) AS offers, coalesce(f.lapsed, 0) AS lapsed, f.median_hours,
              coalesce(a.accepted, 0) AS accepted, coalesce(a.converted, 0) AS converted
         FROM orgs g
         LEFT JOIN contracts c ON c.id = g.id
         LEFT JOIN offers f ON f.id = g.id
         LEFT JOIN accepted a ON a.id = g.id
        ORDER BY amount DESC, contracts DESC, g.name`,
      [from, to],
    );
  }

  /** Declined leads of one record, by reason, with the latest notes. */
  declineReasons(kind: 'achievement' | 'expert' | 'demand', id: string): Promise<Row[]> {
    return this.db.query<Row>(
      `SELECT decline_reason, count(*)::int AS count,
              (array_remove(array_agg(decline_note ORDER BY updated_at DESC), NULL))[1:5] AS notes
         FROM leads
        WHERE state = 'declined' AND ${kind === 'demand' ? 'demand_id = $1' : 'partner_kind = $2 AND partner_id = $1'}
        GROUP BY decline_reason ORDER BY count DESC, decline_reason`,
      kind === 'demand' ? [id] : [id, kind],
    );
  }
}
