// Owns the service's configuration: the only code that reads process.env, validated once at boot.
// It must not hold business rules; other libs receive the typed AppConfig through APP_CONFIG.
export { APP_CONFIG, ConfigModule } from './config.module';
export {
  ConfigError,
  DEFAULT_ASSIGNMENT_WEIGHTS,
  DEFAULT_MATCH_WEIGHTS,
  loadConfig,
  redacted,
  type AppConfig,
} from './app-config';
export { exitIfShutdownHangs, loadConfigOrExit } from './process';
export { REPO_ROOT } from './repo-root';
