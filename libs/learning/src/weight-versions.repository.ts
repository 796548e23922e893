import { Injectable } from '@nestjs/common';
import type { Queryable } from '@app/persistence';
import type { WeightVersion, NewWeightVersion } from './learning.types';

type Row = Record<string, unknown>;

const COLUMNS = `id, created_at, weights, model, training_outcomes, heldout_outcomes, metrics, status, note, activated_at`;

/** The fitted weight versions: rows are added and their status changes; none is ever deleted. */
@Injectable()
export class WeightVersionsRepository {
  async insert(tx: Queryable, v: NewWeightVersion): Promise<WeightVersion> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO weight_versions (weights, model, training_outcomes, heldout_outcomes, metrics, status, note)
       VALUES ($1, $2, $3, $4, $5, 'inactive', $6) RETURNING ${COLUMNS}`,
      [v.weights, v.model, v.trainingOutcomes, v.heldoutOutcomes, v.metrics, v.note],
    );
    return toVersion(rows[0]);
  }

  async active(tx: Queryable): Promise<WeightVersion | undefined> {
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM weight_versions WHERE status = 'active'`);
    return rows[0] && toVersion(rows[0]);
  }

  async find(tx: Queryable, id: number): Promise<WeightVersion | undefined> {
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM weight_versions WHERE id = $1`, [id]);
    return rows[0] && toVersion(rows[0]);
  }

  /** Newest first. */
  async list(tx: Queryable, limit: number, offset: number): Promise<WeightVersion[]> {
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM weight_versions ORDER BY id DESC LIMIT $1 OFFSET $2`, [
      limit,
      offset,
    ]);
    return rows.map(toVersion);
  }

  /** Makes `id` the active version (null: none, the configured weights), in the caller's transaction. */
  async activate(tx: Queryable, id: number | null, note: string): Promise<void> {
    // Serialises activations: the partial unique index allows one active row.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('weight_versions'))`);
    await tx.query(`UPDATE weight_versions SET status = 'inactive' WHERE status = 'active'`);
    if (id !== null)
      await tx.query(`UPDATE weight_versions SET status = 'active', activated_at = now(), note = $2 WHERE id = $1`, [
        id,
        note,
      ]);
  }

  async reject(tx: Queryable, id: number, note: string): Promise<void> {
    await tx.query(`UPDATE weight_versions SET status = 'rejected', note = $2 WHERE id = $1`, [id, note]);
  }
}

function toVersion(r: Row): WeightVersion {
  return {
    id: r.id as number,
    createdAt: (r.created_at as Date).toISOString(),
    weights: r.weights as WeightVersion['weights'],
    model: r.model as WeightVersion['model'],
    trainingOutcomes: r.training_outcomes as number,
    heldoutOutcomes: r.heldout_outcomes as number,
    metrics: r.metrics as WeightVersion['metrics'],
    status: r.status as WeightVersion['status'],
    note: r.note as string,
    activatedAt: r.activated_at ? (r.activated_at as Date).toISOString() : null,
  };
}
