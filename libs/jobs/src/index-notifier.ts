import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Db } from '@app/persistence';
import { REDIS } from './redis.token';

const CHANNEL = 'profiles-changed';
/** PostgreSQL's channel names are identifiers. */
const PG_CHANNEL = 'profiles_changed';
/** Changes of one kind within this long are announced by one message (a bulk import embeds hundreds a second). */
const COALESCE_MS = 10;

/**
 * Tells every process that holds a search index that profiles changed, so that it catches up now rather than at
 * its next poll: over Redis pub/sub with the Redis backend, over PostgreSQL's NOTIFY without it. A lost message costs
 * only latency: the indexes also poll PostgreSQL, the source of truth.
 */
@Injectable()
export class IndexNotifier implements OnApplicationShutdown {
  private readonly logger = new Logger(IndexNotifier.name);
  private subscriber?: Redis;
  private unlisten?: () => Promise<void>;
  private readonly scheduled = new Map<string, Promise<void>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly db: Db,
  ) {}

  /** Announces a change of `kind` within COALESCE_MS, together with any other change of it meanwhile. */
  changed(kind: string): Promise<void> {
    let sent = this.scheduled.get(kind);
    if (!sent) {
      sent = new Promise<void>((resolve) => setTimeout(resolve, COALESCE_MS)).then(async () => {
        this.scheduled.delete(kind);
        await this.publish(kind).catch((e: Error) => this.logger.warn(`not published: ${e.message}`));
      });
      this.scheduled.set(kind, sent);
    }
    return sent;
  }

  async subscribe(handler: (kind: string) => void): Promise<void> {
    if (!this.redis) {
      this.unlisten ??= this.db.listen(PG_CHANNEL, handler);
      return;
    }
    this.subscriber ??= this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, kind: string) => handler(kind));
    this.subscriber.on('error', () => undefined); // reconnects by itself; polling covers the gap
    await this.subscriber.subscribe(CHANNEL).catch((e: Error) => this.logger.warn(`not subscribed: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    await this.unlisten?.();
  }

  private async publish(kind: string): Promise<void> {
    if (this.redis) await this.redis.publish(CHANNEL, kind);
    else await this.db.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, kind]);
  }
}
