import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { LOGGER, type Logger } from '@app/observability';
import { Db } from './db';
import { IdempotencyRepository } from './idempotency.repository';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.launcher';

/** Where the database is, and the embedded server when this process started one. */
export interface DatabaseConnection {
  url: string;
  embedded?: EmbeddedPostgres;
}

export const DATABASE_CONNECTION = 'DATABASE_CONNECTION';

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [APP_CONFIG, LOGGER],
      useFactory: async (config: AppConfig, logger: Logger): Promise<DatabaseConnection> => {
        if (config.database.url) return { url: config.database.url };
        const { dir, port } = config.database.embedded;
        const embedded = await startEmbeddedPostgres(dir, port, logger.child({ component: 'embedded-postgres' }));
        return { url: embedded.url, embedded };
      },
    },
    {
      provide: Db,
      inject: [DATABASE_CONNECTION, LOGGER],
      useFactory: (connection: DatabaseConnection, logger: Logger) => {
        const pool = new Pool({ connectionString: connection.url, max: 10, idleTimeoutMillis: 30_000 });
        // An idle client losing its connection (a database restart) must not crash the process; the pool replaces it.
        pool.on('error', (e) => logger.warn({ err: e.message }, 'idle database connection lost'));
        return new Db(pool);
      },
    },
    IdempotencyRepository,
  ],
  exports: [Db, DATABASE_CONNECTION, IdempotencyRepository],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    private readonly db: Db,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.pool.end();
    await this.connection.embedded?.stop();
  }
}
