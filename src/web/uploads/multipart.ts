import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler } from 'express';

/**
 * Multipart forms (the one that sends a certificate), read by their route after its
 * guard: the CSRF token comes in the form action's query string (auth/csrf.ts), so a
 * stranger, another organization's member or a forged form is answered before one
 * byte of the body is read. The file goes, as it arrives, to a temporary file in the
 * uploads folder (never whole into memory), and is moved into place, or removed,
 * when the route is done.
 */

export const MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024;
// Beyond this the request is cut off with 413; below it an oversized file is read to its end,
// dropped, and the form re-rendered with a message next to the file field.
export const MAX_REQUEST_BYTES = MAX_CERTIFICATE_BYTES + 2 * 1024 * 1024;
// Enough for every signature sniff.ts knows.
const HEAD_BYTES = 16;
// A temporary file older than this was left by a process that stopped mid-upload.
const STALE_INCOMING_MS = 60 * 60 * 1000;

export type Upload = {
  /** The form field the file came in. */
  readonly field: string;
  /** Its first bytes, to tell its type by (sniff.ts). */
  readonly head: Buffer;
  /** Bytes received (up to one past the limit when `tooLarge`). */
  readonly size: number;
  readonly tooLarge: boolean;
  /** The name the device gave it: to compare with the content, never stored. */
  readonly filename: string;
  /** Whether its bytes wait in a temporary file (not when too large, nor when the route asked not to keep them). */
  readonly kept: boolean;
  /** Moves the kept file to `dest` (on the same disk: a rename); once. */
  moveTo(dest: string): Promise<void>;
  /** Removes the temporary file, unless it was moved; safe to call more than once. */
  discard(): Promise<void>;
};

export type MultipartForm = {
  /** The text fields (no prototype: the names come from the client). */
  readonly body: Record<string, string | string[]>;
  /** The file, when one was chosen. */
  readonly upload?: Upload;
};

class TooLarge extends Error {
  readonly status = 413;
  readonly expose = true;
}

class Unreadable extends Error {
  readonly status = 400;
  readonly expose = true;
}

/** The file could not be written (a full disk, a broken uploads folder): the route says so next to the field. */
export class UploadNotWritten extends Error {
  /** The fields read before it failed, to put back into the form. */
  readonly body: Record<string, string | string[]>;
  constructor(body: Record<string, string | string[]>, cause: unknown) {
    super('certificate could not be written', { cause });
    this.body = body;
  }
}

/**
 * Answers a multipart request with `Connection: close`: should it be refused before
 * its body is read (signed out, another center, no CSRF token, too many uploads),
 * the connection ends with the answer, rather than Node reading the rest of the body
 * to keep it open for a next request.
 */
export const closeAfterMultipart: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data')) res.setHeader('Connection', 'close');
  next();
};

/** The folder temporary files are written to: inside the uploads folder, so moving one into place is a rename. */
export function incomingDirOf(uploadsDir: string): string {
  return join(uploadsDir, '.incoming');
}

/**
 * Reads the request's multipart body: text fields into `body`, one file from
 * `fileField` streamed to a temporary file under `incomingDir` (with `keepFile`
 * false, its bytes are counted and dropped). At most MAX_CERTIFICATE_BYTES of file
 * (a larger one comes back `tooLarge`, its bytes dropped) and MAX_REQUEST_BYTES in
 * all (413). A body that is not multipart answers the body express already parsed.
 * The caller discards the upload when done with it (moveTo or not).
 */
export async function readMultipartForm(
  req: Request,
  opts: { readonly fileField: string; readonly incomingDir: string; readonly keepFile: boolean },
): Promise<MultipartForm> {
  if (!req.is('multipart/form-data')) return { body: (req.body ?? {}) as Record<string, string | string[]> };
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) throw new TooLarge('request too large');
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // busboy stops a file on reaching its limit: one byte over ours tells "too large" from "exactly 5 MB".
      limits: { fileSize: MAX_CERTIFICATE_BYTES + 1, files: 1, fields: 20, fieldSize: 10 * 1024, fieldNameSize: 100, parts: 25 },
    });
  } catch {
    throw new Unreadable('not a multipart body');
  }
  if (opts.keepFile) {
    try {
      await mkdir(opts.incomingDir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new UploadNotWritten({}, err);
    }
    sweepStale(opts.incomingDir);
  }

  return new Promise<MultipartForm>((resolve, reject) => {
    const body: Record<string, string | string[]> = Object.create(null);
    let upload: Upload | undefined;
    let file: Readable | undefined;
    let tempPath: string | undefined;
    // Settles once the temporary file is closed (made on first use of the file part).
    let tempClosed: Promise<unknown> = Promise.resolve();
    // The file's write to disk, awaited before the form is answered.
    let writing: Promise<void> = Promise.resolve();
    let received = 0;
    let done = false;

    const stop = () => {
      req.off('data', count);
      req.off('close', aborted);
      req.off('error', failed);
      req.unpipe(parser);
    };
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      stop();
      // The rest of the body is left unread: the connection closes with the answer (closeAfterMultipart).
      req.pause();
      // Ends the file's pipeline too, which closes the temporary file.
      file?.destroy();
      parser.destroy();
      // Removed once closed: an open still under way would otherwise make the file again after the removal.
      const path = tempPath;
      void tempClosed.then(() => (path ? rm(path, { force: true }) : undefined)).finally(() => reject(err));
    };
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_REQUEST_BYTES) fail(new TooLarge('request too large'));
    };
    // The client went away mid-body: nothing of it is kept.
    const aborted = () => {
      if (!req.complete) fail(new Unreadable('request aborted'));
    };
    const failed = () => fail(new Unreadable('request failed'));

    req.on('data', count);
    req.on('close', aborted);
    req.on('error', failed);
    parser.on('field', (name, value) => {
      if (done) return;
      // Like every other body (app.ts): nobody types a NUL, and PostgreSQL cannot store one.
      if (name.includes('\u0000') || value.includes('\u0000')) return fail(new Unreadable('NUL in a field'));
      const prev = body[name];
      body[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    });
    parser.on('file', (name, stream, info) => {
      // After a failure busboy may still be parsing the chunk it was given: nothing more is kept.
      if (done || name !== opts.fileField || file !== undefined) return stream.resume();
      file = stream;
      let head = Buffer.alloc(0);
      let size = 0;
      let tooLarge = false;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, next) {
          size += chunk.length;
          if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
          next(null, chunk);
        },
      });
      stream.on('limit', () => {
        tooLarge = true;
      });
      const path = opts.keepFile ? join(opts.incomingDir, randomBytes(16).toString('hex')) : undefined;
      tempPath = path;
      // Not kept: counted (and its first bytes read) on the way to nowhere.
      const sink = path ? createWriteStream(path, { flags: 'wx', mode: 0o600 }) : new Writable({ write: (_chunk, _enc, next) => next() });
      tempClosed = once(sink, 'close').catch(() => undefined);
      writing = pipeline(stream, tap, sink).then(async () => {
        // A file input left empty still sends a part, with no name and no bytes.
        const none = size === 0 && !tooLarge && !info.filename;
        if (path && (none || tooLarge)) await rm(path, { force: true });
        if (!none) upload = keptUpload({ field: name, head, size, tooLarge, filename: info.filename ?? '', path: tooLarge ? undefined : path });
      });
      // A failed write (a full disk) ends the whole request.
      writing.catch((err: unknown) => fail(new UploadNotWritten({ ...body }, err)));
    });
    parser.on('close', () => {
      void writing.then(
        () => {
          if (done) return;
          done = true;
          stop();
          resolve(upload ? { body, upload } : { body });
        },
        () => undefined,
      );
    });
    parser.on('error', () => fail(new Unreadable('unreadable multipart body')));
    req.pipe(parser);
  });
}

function keptUpload(u: { field: string; head: Buffer; size: number; tooLarge: boolean; filename: string; path: string | undefined }): Upload {
  // waiting → moved | removed; a move and a removal never race for the same file.
  let state: 'waiting' | 'moved' | 'removed' = u.path ? 'waiting' : 'removed';
  return {
    field: u.field,
    head: u.head,
    size: u.size,
    tooLarge: u.tooLarge,
    filename: u.filename,
    kept: u.path !== undefined,
    async moveTo(dest) {
      if (state !== 'waiting' || !u.path) throw new Error('upload not kept, or already moved or removed');
      state = 'moved';
      try {
        await rename(u.path, dest);
      } catch (err) {
        state = 'waiting';
        throw err;
      }
    },
    async discard() {
      if (state !== 'waiting' || !u.path) return;
      state = 'removed';
      await rm(u.path, { force: true });
    },
  };
}

const swept = new Set<string>();

/** Once per folder and process, in the background: removes temporary files a stopped process left behind. */
function sweepStale(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  void (async () => {
    const now = Date.now();
    for (const name of await readdir(dir)) {
      const file = join(dir, name);
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile() && now - s.mtimeMs > STALE_INCOMING_MS) await rm(file, { force: true });
    }
  })().catch(() => undefined);
}
