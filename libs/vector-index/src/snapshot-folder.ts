import { lstat, readdir, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

// A kind's snapshot is a folder of files that only make sense together (graph, vectors, ids, lexical postings,
// metadata), and more than one process writes them: the API processes and the worker share INDEX_SNAPSHOT_DIR. Each
// snapshot is written into a folder of its own, and `<dir>/<kind>` is a symbolic link switched to it in one rename,
// so a reader sees the whole of one snapshot or the whole of the one before, never files of two.

/** Writes a new snapshot of `kind` with `write(folder)`, then makes it the current one; keeps the one before. */
export async function writeSnapshot(
  dir: string,
  kind: string,
  write: (folder: string) => Promise<void>,
): Promise<void> {
  const name = `${kind}.${Date.now()}.${process.pid}`;
  await write(join(dir, name));
  const link = join(dir, kind);
  const previous = await readlink(link).catch(() => undefined);
  const staged = join(dir, `.${name}.link`);
  await symlink(name, staged, 'dir');
  // A snapshot folder of the layout before links (one folder written in place) is replaced once.
  if ((await lstat(link).catch(() => undefined))?.isDirectory()) await rm(link, { recursive: true, force: true });
  await rename(staged, link);
  // Older snapshots than the one before go: a process may still be reading that one.
  for (const entry of await readdir(dir)) {
    if (entry.startsWith(`${kind}.`) && entry !== name && entry !== (previous && basename(previous)))
      await rm(join(dir, entry), { recursive: true, force: true });
  }
}

/** The folder of the current snapshot of `kind`, resolved once so that every file is read from the same one. */
export async function currentSnapshot(dir: string, kind: string): Promise<string | undefined> {
  return realpath(join(dir, kind)).catch(() => undefined);
}
