import busboy from 'busboy';
import type { Request } from 'express';
import { MAX_FILE_BYTES } from '../../services/roster/index.js';

/**
 * The import form's body: a CSV file chosen on the device (the preview), or the same
 * bytes sent back by the preview page in a hidden field, base64 (the confirm), with the
 * form's few text fields. Read into memory (a roster is at most MAX_FILE_BYTES), after
 * the route's guard: the CSRF token comes in the action's query string (auth/csrf.ts).
 */
export type ImportForm = {
  readonly fields: Readonly<Record<string, string>>;
  /** The chosen file's bytes, or undefined when none was chosen; `tooLarge` when it passed the limit (its bytes are dropped). */
  readonly file?: { readonly bytes: Buffer; readonly tooLarge: boolean; readonly filename: string };
};

/** Base64 of MAX_FILE_BYTES, plus room for a few small fields. */
const MAX_FIELD_BYTES = Math.ceil(MAX_FILE_BYTES / 3) * 4 + 1024;

class Unreadable extends Error {
  readonly status = 400;
  readonly expose = true;
}

export function readImportForm(req: Request): Promise<ImportForm> {
  return new Promise((resolve, reject) => {
    if (!req.is('multipart/form-data')) {
      reject(new Unreadable('Send the form as multipart/form-data.'));
      return;
    }
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fileSize: MAX_FILE_BYTES, fieldSize: MAX_FIELD_BYTES, parts: 12 } });
    } catch {
      reject(new Unreadable('The form could not be read.'));
      return;
    }
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    let file: ImportForm['file'];
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(new Unreadable(message));
    };
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail('A field of the form is too long.');
      fields[name] = value;
    });
    bb.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => undefined);
      stream.on('end', () => {
        const truncated = (stream as unknown as { truncated?: boolean }).truncated === true;
        // No file chosen: browsers send an empty part with no name.
        if (info.filename || chunks.length > 0) file = { bytes: truncated ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge: truncated, filename: info.filename ?? '' };
      });
    });
    bb.on('partsLimit', () => fail('The form has too many parts.'));
    bb.on('filesLimit', () => fail('Send one file at a time.'));
    bb.on('fieldsLimit', () => fail('The form has too many fields.'));
    bb.on('error', () => fail('The form could not be read.'));
    bb.on('close', () => {
      if (!failed) resolve({ fields, file });
    });
    req.pipe(bb);
  });
}
