import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ApiKeysService, type Role } from '@app/access';
import { Client } from 'pg';
import { OrganisationsService, type OrganisationKind } from '@app/profiles';

/** An organisation made for one test file, and a key of the given role for it. */
export interface Party {
  organisationId: string;
  key: string;
}

/** An organisation made for one test file, without a key (a transfer organisation whose brokers get their own). */
export async function makeOrganisation(
  app: INestApplication,
  kind: OrganisationKind,
  regionCode = '330502',
): Promise<{ organisationId: string }> {
  const organisation = await app.get(OrganisationsService).create('system', {
    kind,
    name: `测试机构 ${randomUUID().slice(0, 8)}`,
    regionCode,
  });
  return { organisationId: organisation.id };
}

export async function makeParty(
  app: INestApplication,
  kind: OrganisationKind,
  role: Role,
  regionCode = '330502',
): Promise<Party> {
  const { organisationId } = await makeOrganisation(app, kind, regionCode);
  const { secret } = await app.get(ApiKeysService).create('system', { role, organisationId });
  return { organisationId, key: secret };
}

export async function makeAdminKey(app: INestApplication): Promise<string> {
  return (await app.get(ApiKeysService).create('system', { role: 'admin' })).secret;
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts a suite from an empty market (no profiles, leads or keys of other suites): matching and lead assignment look
 * at everything in the database, and suites share it (they run one at a time). Call it before starting the API, so
 * that its search index is built from the empty tables.
 */
export async function emptyMarket(): Promise<void> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  await db.query('TRUNCATE achievements, demands, experts, brokers, outbox, weight_versions CASCADE');
  await db.end();
}

/** A battery-recycling demand in Traditional Chinese with a confidential description, as the suites post it. */
export const batteryDemand = {
  title: '尋求退役動力電池回收技術',
  description: '我公司每年產生約兩千噸退役動力電池，希望引進正極材料高回收率的回收工藝。',
  industryCode: '42',
  regionCode: '330502',
  minReadinessLevel: 5,
  budgetMin: 500000,
  budgetMax: 1000000,
  cooperationModes: ['transfer'],
  confidentialFields: ['description'],
};
