/**
 * The database and Redis the integration and end-to-end tests use. Refuses any database whose name does not say it
 * is for tests, so a mistaken DATABASE_URL can never let a test truncate real data.
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://techtransfer:techtransfer@127.0.0.1:5432/techtransfer_test';

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test".`);
  }
  return url;
}
