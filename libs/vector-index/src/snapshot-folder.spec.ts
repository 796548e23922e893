import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentSnapshot, writeSnapshot } from './snapshot-folder';

const write = (text: string) => async (folder: string) => {
  mkdirSync(folder, { recursive: true });
  await writeFile(join(folder, 'a.txt'), text);
  await writeFile(join(folder, 'b.txt'), text);
};

describe('snapshot folders (one switch per snapshot)', () => {
  it('serves the newest snapshot whole, keeps the one before for readers, removes older ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapshots-'));
    expect(await currentSnapshot(dir, 'achievement')).toBeUndefined();
    await writeSnapshot(dir, 'achievement', write('one'));
    const first = (await currentSnapshot(dir, 'achievement'))!;
    await writeSnapshot(dir, 'achievement', write('two'));
    const second = (await currentSnapshot(dir, 'achievement'))!;
    expect(readFileSync(join(second, 'a.txt'), 'utf8')).toBe('two');
    // A process that resolved the first snapshot before the switch still reads both of its files.
    expect(readFileSync(join(first, 'b.txt'), 'utf8')).toBe('one');
    await writeSnapshot(dir, 'achievement', write('three'));
    const third = (await currentSnapshot(dir, 'achievement'))!;
    expect(['a.txt', 'b.txt'].map((f) => readFileSync(join(third, f), 'utf8'))).toEqual(['three', 'three']);
    const folders = readdirSync(dir).filter((e) => e.startsWith('achievement.'));
    expect(folders.sort()).toEqual([second, third].map((p) => p.split('/').pop()).sort());
  });

  it('replaces a snapshot folder of the layout before links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapshots-'));
    mkdirSync(join(dir, 'demand'));
    writeFileSync(join(dir, 'demand', 'a.txt'), 'old');
    expect(readFileSync(join((await currentSnapshot(dir, 'demand'))!, 'a.txt'), 'utf8')).toBe('old');
    await writeSnapshot(dir, 'demand', write('new'));
    expect(readFileSync(join((await currentSnapshot(dir, 'demand'))!, 'a.txt'), 'utf8')).toBe('new');
  });
});
