import busboy from 'busboy';
import type { RequestHandler } from 'express';

/**
 * Parses a multipart form (one file at most) into `req.body` and `req.upload`,
 * in memory, before the CSRF check: the token travels as the form's `_csrf`
 * field like in every other form, so it is checked the same way. Only for
 * signed-in users (a stranger's upload is never read: with no body, CSRF refuses it).
 */

export const MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024;
// Beyond this the request is cut off with 413; below it an oversized file is read to its end,
// dropped, and the form re-rendered with a message next to the file field.
const MAX_REQUEST_BYTES = MAX_CERTIFICATE_BYTES + 2 * 1024 * 1024;

export type Upload = {
  /** The form field the file came in. */
  readonly field: string;
  /** All of it, unless `tooLarge` (then only its start). */
  readonly bytes: Buffer;
  readonly size: number;
  readonly tooLarge: boolean;
  /** The name the device gave it: to compare with the content, never stored. */
  readonly filename: string;
};

declare global {
  namespace Express {
    interface Request {
      /** A file sent with a multipart form, when one was chosen. */
      upload?: Upload;
    }
  }
}

class TooLarge extends Error {
  readonly status = 413;
  readonly expose = true;
}

class Unreadable extends Error {
  readonly status = 400;
  readonly expose = true;
}

export function multipartForm(fileField: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('multipart/form-data') || !req.currentUser) return next();
    if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) return next(new TooLarge('request too large'));
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // busboy stops a file on reaching its limit: one byte over ours tells "too large" from "exactly 5 MB".
        limits: { fileSize: MAX_CERTIFICATE_BYTES + 1, files: 1, fields: 20, fieldSize: 10 * 1024, parts: 25 },
      });
    } catch {
      return next(new Unreadable('not a multipart body'));
    }
    // No prototype: field names come from the client.
    const body: Record<string, string | string[]> = Object.create(null);
    let upload: Upload | undefined;
    let received = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.unpipe(parser);
      if (err) {
        req.resume();
        return next(err);
      }
      req.body = body;
      if (upload) req.upload = upload;
      next();
    };

    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_REQUEST_BYTES) finish(new TooLarge('request too large'));
    });
    parser.on('field', (name, value) => {
      const prev = body[name];
      body[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    });
    parser.on('file', (name, stream, info) => {
      if (name !== fileField) return stream.resume();
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        chunks.push(chunk);
      });
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('close', () => {
        // A file input left empty still sends a part, with no name and no bytes.
        if (size === 0 && !tooLarge && !info.filename) return;
        upload = { field: name, bytes: Buffer.concat(chunks), size, tooLarge, filename: info.filename ?? '' };
      });
    });
    parser.on('close', () => finish());
    parser.on('error', () => finish(new Unreadable('unreadable multipart body')));
    req.pipe(parser);
  };
}
