import type { Client } from 'pg';

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Drops a scratch database, ending its sessions (`WITH (FORCE)`). An autovacuum worker that has just started on the
 * database belongs to no role, so a non-superuser may not end it and the drop fails with 42501; the worker is done
 * within moments, so the drop is tried again for up to `waitMs`.
 */
export async function dropDatabase(admin: Client, name: string, waitMs = 10_000): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
