import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, constants, mkdir, open, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { z } from 'zod';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, syncFolder } from '../secret-files.js';

/**
 * What `backup` writes and `restore` reads: one folder holding the database copy,
 * the uploads, the secret files kept beside the database, and `manifest.json` with
 * every file's size and SHA-256.
 */

export const BACKUP_FORMAT = 'ratiowatch-backup/1';
export const MANIFEST = 'manifest.json';
export const DATABASE_COPY = 'database.sqlite';
export const UPLOADS = 'uploads';

const FileEntry = z.object({
  // Relative, inside the backup: the database copy, a secret file, or under uploads/.
  path: z
    .string()
    .min(1)
    .refine((p) => !isAbsolute(p) && normalize(p) === p && !p.split(/[\\/]/).includes('..'), 'a path inside the backup'),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string(),
  engine: z.literal('sqlite'),
  database: z.object({
    path: z.literal(DATABASE_COPY),
    integrity: z.string(),
    auditHead: z.object({ entry: z.number().int().min(0), hash: z.string() }).nullable(),
  }),
  files: z.array(FileEntry),
  /** Secrets that came from the environment, so are not in the backup: keep them yourself. */
  notInBackup: z.array(z.string()),
});
export type Manifest = z.infer<typeof Manifest>;

export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Copies one file to a new path (never over one), owner-only, synced to disk. */
export async function copyPrivateFile(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
  await copyFile(from, to, constants.COPYFILE_EXCL);
  await chmod(to, PRIVATE_FILE_MODE);
  await syncFile(to);
}

export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Every regular file under `dir`, as paths relative to it (`/`-separated); none when there is no such folder. */
export async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split(sep).join('/'))
    .sort();
}

/** Syncs each folder from `leaf` up to (and including) `root`, so new names in them survive a power cut. */
export function syncFolders(leaves: Iterable<string>, root: string): void {
  const done = new Set<string>();
  for (const leaf of leaves) {
    for (let dir = leaf; !done.has(dir); dir = dirname(dir)) {
      done.add(dir);
      syncFolder(dir);
      if (dir === root || dirname(dir) === dir) break;
    }
  }
}
