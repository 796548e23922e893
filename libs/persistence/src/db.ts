import { Client, types, type Pool, type PoolClient, type QueryResultRow } from 'pg';

// A `date` column is a calendar day, not an instant: keep PostgreSQL's YYYY-MM-DD instead of a local-midnight Date.
types.setTypeParser(types.builtins.DATE, (value) => value);

/** Something that runs a parameterised query: the pool, or the client of a transaction. */
export interface Queryable {
  query<R extends QueryResultRow>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * The one way repositories talk to PostgreSQL: parameterised queries, and transactions on a single checked-out
 * client (ROLLBACK on any error, the client always released).
 */
export class Db {
  constructor(readonly pool: Pool) {}

  async query<R extends QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.pool.query<R>(sql, params as unknown[]);
    return result.rows;
  }

  async one<R extends QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<R | undefined> {
    const [row] = await this.query<R>(sql, params);
    return row;
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    // The connection of a checked-out client can drop while the work awaits something else (a database restart):
    // pg then emits 'error' on the client, which ends the process when nobody listens (seen in the fault suite: the
    // worker died mid-transaction). Listened to, the next query fails, the work rolls back, and the broken client
    // is dropped instead of going back to the pool.
    let lost: Error | undefined;
    const onError = (e: Error) => (lost = e);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }

  /**
   * Calls `onNotify` with each notification's payload on `channel` (LISTEN, on a connection of its own, not the
   * pool's), from now until the returned stop is called. A lost connection is opened again a second later;
   * notifications sent meanwhile are missed, so a listener must not be the only way work is found. `onListening`
   * hears when the channel is listened to (true, again after each reconnection) and when it is lost (false), so a
   * listener can distrust what it may have missed.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onListening?: (listening: boolean) => void,
  ): () => Promise<void> {
    let current: Client | undefined;
    let stopped = false;
    const open = async (): Promise<void> => {
      if (stopped) return;
      const client = new Client(this.pool.options);
      current = client;
      const retry = () => {
        if (current !== client) return;
        current = undefined;
        onListening?.(false);
        void client.end().catch(() => undefined);
        setTimeout(() => void open(), 1_000).unref();
      };
      client.on('notification', (n) => onNotify(n.payload ?? ''));
      client.on('error', retry);
      try {
        await client.connect();
        await client.query(`LISTEN ${channel}`);
        if (current === client) onListening?.(true);
      } catch {
        retry();
      }
    };
    void open();
    return async () => {
      stopped = true;
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    };
  }
}
