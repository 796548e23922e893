// `npm start` and `npm run start:worker`: run the compiled app (node, no ts-node), building it first when the build is
// missing or older than anything it is built from (apps/, libs/, the tsconfigs, nest-cli.json, package-lock.json).
// Two launchers started together build once: the second waits for the first's lock.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const LOCK = join(ROOT, '.build-lock');
const APPS = ['api', 'worker'];
const app = process.argv[2] ?? 'api';
if (!APPS.includes(app) && app !== '--build-only')
  throw new Error(`usage: node scripts/start.cjs ${APPS.join('|')}|--build-only`);
const entry = join(DIST, 'apps', app, 'src', 'main.js');

/** The newest modification time under a folder or of a file, in ms (TypeScript sources only in folders). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(child));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(child).mtimeMs);
  }
  return latest;
}

const stale = () => {
  if (!existsSync(STAMP) || !APPS.every((a) => existsSync(join(DIST, 'apps', a, 'src', 'main.js')))) return true;
  const inputs = ['apps', 'libs', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];
  return Math.max(...inputs.map((i) => newest(join(ROOT, i)))) > statSync(STAMP).mtimeMs;
};

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function build() {
  for (;;) {
    if (!stale()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another launcher is building; a lock older than ten minutes is left over from a killed build.
      if (Date.now() - statSync(LOCK).mtimeMs > 600_000) rmSync(LOCK, { recursive: true, force: true });
      sleep(500);
      continue;
    }
    try {
      if (!stale()) return;
      const started = Date.now();
      console.error(`building ${APPS.join(' and ')} into dist/ (missing or older than its sources)`);
      const nest = require.resolve('@nestjs/cli/bin/nest.js');
      for (const a of APPS) execFileSync(process.execPath, [nest, 'build', a], { cwd: ROOT, stdio: 'inherit' });
      writeFileSync(STAMP, new Date().toISOString());
      console.error(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

build();
if (app !== '--build-only') require(entry);
