// Owns PostgreSQL: the connection (DATABASE_URL, or an embedded server when it is unset), the pg pool, the Db query
// and transaction helper, and the migrations runner. It must not hold domain SQL: repositories live with their domain.
export { Db, type Queryable } from './db';
export { dropDatabase } from './drop-database';
export { embeddedDatabaseUrl, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.launcher';
export { MIGRATIONS_DIR, MIGRATIONS_TABLE, migrationNames, runMigrations } from './migrations';
export { DATABASE_CONNECTION, PersistenceModule, type DatabaseConnection } from './persistence.module';
export { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';
export { IdempotencyRepository, type IdempotencyClaim } from './idempotency.repository';
export { findUnstorable, MAX_DEPTH, type UnstorableValue } from './storable';
