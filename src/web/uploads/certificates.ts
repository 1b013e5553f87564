import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Deps } from '../deps.js';
import type { Upload } from './multipart.js';

/**
 * Certificate files: sensitive, so kept outside the web root (beside the
 * database, under `uploads/<centerId>/`), under random names (never the
 * person's own file name), readable by the server's user only.
 */

export function uploadsDirOf(deps: Pick<Deps, 'config' | 'uploadsDir'>): string {
  return resolve(deps.uploadsDir ?? join(dirname(deps.config.dbFile), 'uploads'));
}

/** Writes the bytes under a new random name; returns the path relative to the uploads folder. */
export async function storeCertificate(uploadsDir: string, centerId: string, bytes: Buffer): Promise<string> {
  const rel = join(centerId, randomBytes(16).toString('hex'));
  const file = join(uploadsDir, rel);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
  return rel;
}

/** Moves an upload's temporary file into place under a new random name; returns the path relative to the uploads folder. */
export async function keepCertificate(uploadsDir: string, centerId: string, upload: Upload): Promise<string> {
  const rel = join(centerId, randomBytes(16).toString('hex'));
  await mkdir(join(uploadsDir, centerId), { recursive: true, mode: 0o700 });
  // 128 random bits: the name is new, so the rename replaces nothing.
  await upload.moveTo(join(uploadsDir, rel));
  return rel;
}

/** The absolute path of a stored certificate; throws on a path that would leave the uploads folder. */
export function certificatePath(uploadsDir: string, rel: string): string {
  const file = resolve(uploadsDir, rel);
  const inside = relative(uploadsDir, file);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new Error('certificate path outside the uploads folder');
  return file;
}

export async function removeCertificate(uploadsDir: string, rel: string): Promise<void> {
  await rm(certificatePath(uploadsDir, rel), { force: true });
}
