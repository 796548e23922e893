import { ConfigError, loadConfig, type AppConfig } from './app-config';

/** The configuration, or the process ends at once with a message naming each bad variable. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

/**
 * A graceful stop waits for the queues and the database; with one of them unreachable it would wait forever. After
 * SIGTERM or SIGINT the process ends within `ms` whatever is still pending, with one line saying so.
 */
export function exitIfShutdownHangs(ms = 10_000): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () =>
      setTimeout(() => {
        console.error(`shutdown did not finish within ${ms / 1000} s (Redis or PostgreSQL unreachable?); exiting`);
        process.exit(1);
      }, ms).unref(),
    );
  }
}
