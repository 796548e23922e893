/**
 * Builds of the service for benchmarks that run a baseline next to the current code: this checkout, or a git ref
 * checked out in a temporary worktree (with its own packages, and this checkout's model files). Each is started the
 * way its own `npm start` does: compiled when the build has scripts/start.cjs, from source under ts-node otherwise.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');

export interface Build {
  /** 'current', or the ref as given. */
  name: string;
  /** The commit it runs. */
  commit: string;
  dir: string;
  /** Starts one of its apps with the environment added; output dropped unless `onOutput` is given. */
  spawn(
    app: 'api' | 'worker',
    env: Record<string, string>,
    onOutput?: (chunk: Buffer) => void,
    nodeArgs?: string[],
  ): ChildProcess;
  dispose(): void;
}

const git = (args: string[], cwd = ROOT) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function buildAt(name: string, dir: string, dispose: () => void): Build {
  const compiled = existsSync(join(dir, 'scripts/start.cjs'));
  // Build once before anything is timed: start.cjs would otherwise build inside the first measured start.
  if (compiled) execFileSync(process.execPath, ['scripts/start.cjs', '--build-only'], { cwd: dir, stdio: 'inherit' });
  return {
    name,
    commit: git(['rev-parse', '--short', 'HEAD'], dir),
    dir,
    spawn(app, env, onOutput, nodeArgs = []) {
      const args = compiled
        ? ['scripts/start.cjs', app]
        : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`];
      const child = spawn(process.execPath, [...nodeArgs, ...args], {
        cwd: dir,
        env: { ...process.env, MODELS_DIR: join(ROOT, 'models'), ...env },
        stdio: onOutput ? ['ignore', 'pipe', 'pipe'] : 'ignore',
      });
      child.stdout?.on('data', onOutput!);
      child.stderr?.on('data', onOutput!);
      return child;
    },
    dispose,
  };
}

export function currentBuild(): Build {
  return buildAt('current', ROOT, () => undefined);
}

/** `ref` checked out in a temporary worktree; `dispose` removes it. */
export function baselineBuild(ref: string): Build {
  const dir = mkdtempSync(join(tmpdir(), 'baseline-'));
  git(['worktree', 'add', '--detach', '--force', dir, ref]);
  try {
    // This checkout's packages when the lock is the same; its own install (from the registry or npm's cache) if not.
    const lock = (d: string) => readFileSync(join(d, 'package-lock.json'), 'utf8');
    if (lock(dir) === lock(ROOT)) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 2, 2] });
    return buildAt(ref, dir, () => {
      git(['worktree', 'remove', '--force', dir]);
      rmSync(dir, { recursive: true, force: true });
    });
  } catch (e) {
    git(['worktree', 'remove', '--force', dir]);
    throw e;
  }
}

/** `K=V,K2=V2` (a value may hold '=') as an environment. */
export function envList(list = ''): Record<string, string> {
  return Object.fromEntries(
    list
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}
