/** Processes as /proc shows them (Linux), for benchmarks that account for memory and CPU per process tree. */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessStat {
  pid: number;
  ppid: number;
  comm: string;
  /** User + system CPU seconds so far. */
  cpuSeconds: number;
}

const USER_HZ = 100;

export function processes(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .flatMap((e) => {
      try {
        const text = readFileSync(`/proc/${e}/stat`, 'utf8');
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        return [{ pid: Number(e), ppid: Number(f[1]), comm, cpuSeconds: (Number(f[11]) + Number(f[12])) / USER_HZ }];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** `root` and every process below it. */
export function treeOf(root: number, all = processes()): ProcessStat[] {
  const pids = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (pids.has(p.ppid) && !pids.has(p.pid)) {
        pids.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => pids.has(p.pid));
}

/** Resident memory of a process in bytes (0 once it is gone). */
export function residentBytes(pid: number): number {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return rss ? Number(rss[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
