/**
 * The hosts of `npm run cluster`: processes started inside a network namespace each (scripts/cluster-net.sh makes
 * them), in a process group of their own so that killing a host kills everything it runs; and the three servers
 * the service depends on, run from Debian's packages: PostgreSQL (initdb into a folder of the run, as the postgres
 * user), Redis (append-only file on) and HAProxy (HTTP checks on /health/ready, asked for its view of the servers
 * over its stats socket).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { redisAnswers } from '@app/jobs';

export const NET_HELPER = join(__dirname, '..', 'cluster-net.sh');
const PG_BIN = '/usr/lib/postgresql/15/bin';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the namespace helper (cluster-net.sh) with these arguments; throws with its output when it fails. */
export function net(...args: string[]): string {
  return execFileSync('bash', [NET_HELPER, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** One host: a namespace `ttc-<name>` with an address, and the process it runs now (if any). */
export class Host {
  private child?: ChildProcess;
  /** When the current process was started, ms since the epoch. */
  startedAt = 0;

  constructor(
    readonly name: string,
    readonly address: string,
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts `command` in this host's namespace, as its own process group; output appended to the host's log. */
  run(command: string[], env: Record<string, string> = {}, cwd?: string): ChildProcess {
    appendFileSync(this.logFile, `\n--- ${new Date().toISOString()} ${command.join(' ')}\n`);
    const child = spawn('ip', ['netns', 'exec', `ttc-${this.name}`, ...command], {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(this.logFile, { flags: 'a' });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    this.child = child;
    this.startedAt = Date.now();
    return child;
  }

  /** Signals every process of the host's group and waits until the one it started has exited. */
  async stop(signal: NodeJS.Signals = 'SIGKILL', waitMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, signal);
    } catch {
      return; // gone meanwhile
    }
    const late = sleep(waitMs).then(() => 'late');
    if ((await Promise.race([exited, late])) === 'late') {
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
  }

  /** What the host's process said last, for an error message. */
  exitNote(): string {
    return this.child ? `exit ${this.child.exitCode ?? this.child.signalCode}` : 'not started';
  }
}

/** PostgreSQL 15 from Debian in its host: a data folder made once by initdb, trusted from the subnet only. */
export class PostgresHost {
  readonly url: string;
  private readonly data: string;

  constructor(
    readonly host: Host,
    private readonly dir: string,
    subnet: string,
    private readonly database: string,
  ) {
    this.data = join(dir, 'data');
    this.url = `postgres://postgres@${host.address}:5432/${database}`;
    mkdirSync(this.data, { recursive: true });
    const postgres = userIds('postgres');
    chownSync(dir, postgres.uid, postgres.gid);
    chownSync(this.data, postgres.uid, postgres.gid);
    execFileSync(
      'setpriv',
      [...asUser('postgres'), `${PG_BIN}/initdb`, '-D', this.data, '-U', 'postgres', '-E', 'UTF8', '--no-locale'],
      { cwd: dir, stdio: 'ignore' },
    );
    appendFileSync(join(this.data, 'pg_hba.conf'), `host all all ${subnet} trust\n`);
  }

  async start(): Promise<void> {
    this.host.run(
      [
        'setpriv',
        ...asUser('postgres'),
        `${PG_BIN}/postgres`,
        '-D',
        this.data,
        '-c',
        `listen_addresses=${this.host.address}`,
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'max_connections=300',
      ],
      {},
      this.dir,
    );
    for (let i = 0; i < 300; i++) {
      if (await this.answers()) return;
      if (!this.host.running) break;
      await sleep(100);
    }
    throw new Error(`PostgreSQL did not start in ttc-${this.host.name} (${this.host.exitNote()})`);
  }

  /** A fast shutdown (SIGINT: sessions ended, a checkpoint written), as an operator's restart does. */
  stop(): Promise<void> {
    return this.host.stop('SIGINT', 60_000);
  }

  async createDatabase(): Promise<void> {
    const admin = new Client({ connectionString: this.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${this.database}`);
    await admin.end();
  }

  private async answers(): Promise<boolean> {
    const db = new Client({
      connectionString: this.url.replace(/\/[^/]+$/, '/postgres'),
      connectionTimeoutMillis: 500,
    });
    try {
      await db.connect();
      return true;
    } catch {
      return false;
    } finally {
      await db.end().catch(() => undefined);
    }
  }
}

/** Debian's redis-server in its host, with its append-only file, fsynced as `fsync` says. */
export class RedisHost {
  readonly url: string;

  constructor(
    readonly host: Host,
    private readonly dir: string,
    private readonly fsync: 'always' | 'everysec',
  ) {
    this.url = `redis://${host.address}:6379`;
    mkdirSync(dir, { recursive: true });
  }

  async start(): Promise<void> {
    this.host.run([
      'redis-server',
      ...['--bind', this.host.address, '--port', '6379', '--protected-mode', 'no', '--dir', this.dir],
      ...['--appendonly', 'yes', '--appendfsync', this.fsync, '--save', ''],
    ]);
    for (let i = 0; i < 100; i++) {
      if (await redisAnswers(6379, this.host.address)) return;
      await sleep(100);
    }
    throw new Error(`redis-server did not start in ttc-${this.host.name} (${this.host.exitNote()})`);
  }
}

/** HAProxy in its host: round robin over the API hosts, each checked on GET /health/ready every second. */
export class LoadBalancerHost {
  readonly url: string;
  private readonly socket: string;
  private readonly config: string;

  constructor(
    readonly host: Host,
    dir: string,
    servers: Host[],
    port: number,
  ) {
    this.url = `http://${host.address}`;
    this.socket = join(dir, 'haproxy.sock');
    this.config = join(dir, 'haproxy.cfg');
    writeFileSync(
      this.config,
      [
        'global',
        `  stats socket ${this.socket} mode 600 level admin`,
        '  maxconn 4000',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 60s',
        '  timeout server 20s',
        '  timeout check 3s',
        // A connection refused or timed out is tried on another server: the request never reached the API.
        '  retries 2',
        '  option redispatch',
        '  retry-on conn-failure',
        'frontend api',
        `  bind ${host.address}:80`,
        '  default_backend apis',
        'backend apis',
        '  balance roundrobin',
        '  option httpchk GET /health/ready',
        '  http-check expect status 200',
        '  default-server inter 1s fall 2 rise 2',
        '  http-response set-header X-Served-By %s',
        ...servers.map((s) => `  server ${s.name} ${s.address}:${port} check`),
        '',
      ].join('\n'),
    );
  }

  start(): void {
    this.host.run(['haproxy', '-db', '-f', this.config]);
  }

  /** Each server's state as HAProxy sees it (UP, DOWN, MAINT, or a transition such as "UP 1/2"). */
  async servers(): Promise<Record<string, string>> {
    const csv = await new Promise<string>((resolve, reject) => {
      const s = connect(this.socket);
      let out = '';
      s.on('connect', () => s.end('show stat\n'));
      s.on('data', (c: Buffer) => (out += c.toString()));
      s.on('end', () => resolve(out));
      s.on('error', reject);
    });
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
    const cols = header.split(',');
    const [px, sv, status] = ['pxname', 'svname', 'status'].map((c) => cols.indexOf(c));
    return Object.fromEntries(
      rows
        .map((r) => r.split(','))
        .filter((f) => f[px] === 'apis' && f[sv] !== 'BACKEND' && f[sv] !== 'FRONTEND')
        .map((f) => [f[sv], f[status]]),
    );
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' })));
  return { uid, gid };
}

function asUser(name: string): string[] {
  return [`--reuid=${name}`, `--regid=${name}`, '--init-groups', '--'];
}
