import { mkdir, statfs } from 'node:fs/promises';
import { err, ok, type Result } from '../../domain/result.js';

/**
 * What certificate uploads may take, so that no one (a volunteer's script sending 40
 * files a second, say) fills the disk the database and every check-in write to:
 *
 * - a quota on what is kept, per person and per center, in files and bytes, counted
 *   from the records themselves under a lock at the moment a file is kept
 *   (db/trainings.ts: parallel uploads are counted one after another);
 * - a rate per user, checked before the body is read;
 * - a margin of free disk space that no upload may eat into (fs.statfs).
 */
export type UploadLimits = {
  readonly personFiles: number;
  readonly personBytes: number;
  readonly centerFiles: number;
  readonly centerBytes: number;
  /** Uploads one user may send within `rateWindowMs` (in this process). */
  readonly ratePerUser: number;
  readonly rateWindowMs: number;
  /** Free space the uploads folder's disk keeps for the database: a file that would leave less is refused. */
  readonly minFreeBytes: number;
};

const MB = 1024 * 1024;

export const UPLOAD_LIMITS: UploadLimits = {
  // A person records a handful of trainings, renewed every year or two: 20 files of up to 5 MB
  // leave room for years of renewals; 50 MB keeps most of them as phone photos.
  personFiles: 20,
  personBytes: 50 * MB,
  // A large center's 200 people with a few certificates each.
  centerFiles: 2000,
  centerBytes: 2048 * MB,
  ratePerUser: 10,
  rateWindowMs: 10 * 60 * 1000,
  minFreeBytes: 1024 * MB,
};

export function uploadLimitsOf(overrides: Partial<UploadLimits> | undefined): UploadLimits {
  return { ...UPLOAD_LIMITS, ...overrides };
}

/** Certificates kept, and their bytes. */
export type CertificateUsage = { readonly files: number; readonly bytes: number };

/** Why a certificate is not kept. */
export type UploadRefusal = 'person_files' | 'person_bytes' | 'center_files' | 'center_bytes' | 'disk' | 'rate';

/**
 * Whether one more file of `size` bytes fits the person's and the center's quota;
 * null when it does. With size 0, whether any file could still fit (asked before the
 * body is read).
 */
export function quotaRefusal(usage: { person: CertificateUsage; center: CertificateUsage }, size: number, limits: UploadLimits): UploadRefusal | null {
  if (usage.person.files + 1 > limits.personFiles) return 'person_files';
  if (usage.person.bytes + Math.max(size, 1) > limits.personBytes) return 'person_bytes';
  if (usage.center.files + 1 > limits.centerFiles) return 'center_files';
  if (usage.center.bytes + Math.max(size, 1) > limits.centerBytes) return 'center_bytes';
  return null;
}

/** The HTTP status of each refusal: a quota is 413, the rate 429, a full disk 507. */
export const REFUSAL_STATUS: Readonly<Record<UploadRefusal, number>> = {
  person_files: 413,
  person_bytes: 413,
  center_files: 413,
  center_bytes: 413,
  disk: 507,
  rate: 429,
};

const sizeWords = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} kB`);

/** The sentence shown next to the file field. */
export function refusalMessage(reason: UploadRefusal, limits: UploadLimits, extra: { retryAfterMs?: number } = {}): string {
  switch (reason) {
    case 'person_files':
      return `You already have ${limits.personFiles} certificates on file, the most one person may keep. Send this record without a file, and ask a director to check it against your paper certificate.`;
    case 'person_bytes':
      return `This file would take your certificates past the ${sizeWords(limits.personBytes)} one person may keep. Choose a smaller file (a photo taken at a lower size), or send the record without a file.`;
    case 'center_files':
    case 'center_bytes':
      return "This center's space for certificates is full. Send the record without a file, and tell a director.";
    case 'disk':
      return 'The server is short of disk space, so it cannot keep files now. Send the record without a file, or try again later, and tell a director.';
    case 'rate': {
      const minutes = Math.max(1, Math.ceil((extra.retryAfterMs ?? limits.rateWindowMs) / 60_000));
      return `You sent many files in a short time. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then send this form again.`;
    }
  }
}

/**
 * Uploads per user in a sliding window, kept in this process (a few timestamps per
 * user who uploaded lately). The quota, kept in the database, is what bounds the disk
 * across processes; this stops a flood before its bodies are read.
 */
export function createUploadRate(limits: Pick<UploadLimits, 'ratePerUser' | 'rateWindowMs'>) {
  const MAX_USERS = 10_000;
  const sent = new Map<string, number[]>();
  return {
    /** Counts one upload by `userId` at `at` (epoch ms); refused, with how long to wait, when over the rate. */
    take(userId: string, at: number): Result<void, { readonly retryAfterMs: number }> {
      const recent = (sent.get(userId) ?? []).filter((t) => at - t < limits.rateWindowMs);
      if (recent.length >= limits.ratePerUser) {
        sent.set(userId, recent);
        return err({ retryAfterMs: recent[0]! + limits.rateWindowMs - at });
      }
      recent.push(at);
      sent.delete(userId);
      sent.set(userId, recent);
      if (sent.size > MAX_USERS) sent.delete(sent.keys().next().value!);
      return ok(undefined);
    },
  };
}

/**
 * Whether the uploads folder's disk has room for `bytes` more and still keeps the
 * margin. A folder whose disk cannot be asked counts as full: uploads stop, check-ins
 * go on.
 */
export async function hasRoomOnDisk(dir: string, bytes: number, limits: Pick<UploadLimits, 'minFreeBytes'>): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const s = await statfs(dir);
    return s.bavail * s.bsize - bytes >= limits.minFreeBytes;
  } catch {
    return false;
  }
}
