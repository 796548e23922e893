import { Socket } from 'node:net';
import { exitIfShutdownHangs, loadConfigOrExit, type AppConfig } from '@app/config';

/**
 * What the API and the worker do before anything starts: the configuration (or a message naming each bad variable),
 * and a bound on a stuck shutdown. Nothing else is needed on a fresh machine: without REDIS_URL the jobs, rate limits
 * and index notices live in PostgreSQL, which ships embedded.
 */
export async function prepareProcess(): Promise<AppConfig> {
  const config = loadConfigOrExit();
  exitIfShutdownHangs();
  return Promise.resolve(config);
}

/** Whether a Redis answers PING on this address (an error asking for a password counts: something is there). */
export function redisAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
    s.connect(port, host, () => s.write('PING\r\n'));
    s.once(
      'data',
      (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG') || d.toString().startsWith('-NOAUTH'))),
    );
  });
}
