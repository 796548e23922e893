import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { createRootLogger, httpLoggerOptions } from './logger';

export const LOGGER = 'LOGGER';

/** Logging for one process; `name` tells the processes apart in the logs (api, worker). */
@Global()
@Module({})
export class ObservabilityModule {
  /** `logTo: 'stderr'` keeps stdout for a command's own output (the CLI). */
  static forProcess(name: string, logTo: 'stdout' | 'stderr' = 'stdout'): DynamicModule {
    const rootLogger = {
      provide: LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRootLogger(config, name, logTo === 'stderr' ? 2 : 1),
    };
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRootAsync({
          providers: [rootLogger],
          inject: [LOGGER],
          useFactory: (logger: ReturnType<typeof createRootLogger>) => ({ pinoHttp: httpLoggerOptions(logger) }),
        }),
      ],
      providers: [rootLogger],
      exports: [LOGGER, LoggerModule],
    };
  }
}
