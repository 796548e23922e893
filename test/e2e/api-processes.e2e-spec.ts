import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { startApiProcesses, type ApiProcesses } from '../api-processes';

// API_PROCESSES=2 as `npm start` runs it: a primary and two API processes sharing one port.
const port = 41000 + (process.pid % 1000);
const url = `http://127.0.0.1:${port}`;

/** The pids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return Number(readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(what: string, test: () => Promise<boolean> | boolean, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET /health/ready on a connection of its own: connections, not requests, are handed round the processes. */
const ready = () =>
  new Promise<boolean>((resolve) =>
    get(`${url}/health/ready`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false)),
  );

describe('several API processes (API_PROCESSES)', () => {
  let primary: ChildProcess;
  let processes: ApiProcesses;
  const output = () => processes.output();

  beforeAll(async () => {
    processes = await startApiProcesses(port);
    primary = processes.primary;
  }, 150_000);

  afterAll(() => processes.stop());

  it('serves from both, sums their request metrics in one /metrics, and replaces a process that dies', async () => {
    expect(childrenOf(primary.pid!)).toHaveLength(2);
    for (let i = 0; i < 20; i++) expect(await ready()).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const count = (text: string) =>
      Number(
        /http_request_duration_seconds_count\{[^}]*route="\/health\/ready"[^}]*status="200"[^}]*\} (\d+)/.exec(
          text,
        )?.[1],
      );
    // Connections go round the processes: a /metrics of one process alone would count about half.
    expect(count(metrics)).toBeGreaterThanOrEqual(20);
    expect(metrics).toContain('queue_jobs');

    const [victim] = childrenOf(primary.pid!);
    process.kill(victim, 'SIGKILL');
    await until('a new API process', () => {
      const now = childrenOf(primary.pid!);
      return now.length === 2 && !now.includes(victim);
    });
    await until('the new process ready', async () => (await Promise.all([1, 2, 3, 4].map(ready))).every(Boolean));
    expect(output()).toContain('API process died; starting another');
  }, 150_000);

  it('stops every process on SIGTERM', async () => {
    const children = childrenOf(primary.pid!);
    const exited = new Promise<number | null>((r) => primary.once('exit', r));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
