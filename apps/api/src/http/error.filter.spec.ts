import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATUS_BY_CODE } from './error.filter';

const ROOT = join(__dirname, '../../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.includes('spec') ? [path] : [];
  });
}

describe('error codes', () => {
  it('maps every code a domain error declares to an HTTP status', () => {
    const declared = new Set(
      [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))].flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/readonly code = '([A-Z_]+)'/g)].map((m) => m[1]),
      ),
    );
    expect(declared.size).toBeGreaterThan(15);
    expect([...declared].filter((c) => !(c in STATUS_BY_CODE))).toEqual([]);
  });
});
