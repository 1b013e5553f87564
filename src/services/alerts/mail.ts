import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, secretFilePath } from '../../secret-files.js';

/**
 * Email's transport: SMTP through nodemailer when `SMTP_URL` is set; otherwise each
 * message is written whole (RFC 822, as nodemailer builds it) to `<id>.eml` in
 * `outbox/` beside DB_FILE (0600 in a 0700 folder), so nothing is lost and an operator
 * can read what would have gone out. A message's id is its outbox row's, and its
 * Message-ID is made from it: a retry is the same message.
 */

export type Mail = {
  /** The outbox row's id. */
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The person's alert settings page (List-Unsubscribe). */
  readonly unsubscribe: string;
};

export type MailTransport = {
  readonly kind: 'smtp' | 'files';
  /** Where files go (kind `files`). */
  readonly folder: string | null;
  send(mail: Mail): Promise<void>;
  close(): void;
};

/** The folder .eml files are written to without SMTP_URL: `outbox/` beside DB_FILE (`data/outbox` for an in-memory database). */
export function outboxFolder(dbFile: string): string {
  return secretFilePath(dbFile, 'outbox') ?? resolve('data', 'outbox');
}

export function createMailTransport(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl' | 'dbFile'>): MailTransport {
  const domain = new URL(config.publicUrl).hostname || 'localhost';
  const options = (mail: Mail) => ({
    from: config.mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<${mail.id}@${domain}>`,
    list: { unsubscribe: { url: mail.unsubscribe, comment: 'Alert settings' } },
  });
  if (config.smtpUrl) {
    const transporter = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      kind: 'smtp',
      folder: null,
      async send(mail) {
        await transporter.sendMail(options(mail));
      },
      close: () => transporter.close(),
    };
  }
  const folder = outboxFolder(config.dbFile);
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'files',
    folder,
    async send(mail) {
      const info = (await builder.sendMail(options(mail))) as { message: Buffer };
      mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
      writeFileSync(join(folder, `${mail.id}.eml`), info.message, { mode: PRIVATE_FILE_MODE });
    },
    close: () => builder.close(),
  };
}

/**
 * Whether a send failed for good: the server answered 5xx (no such mailbox, refused),
 * so trying again would fail again. Anything else (4xx, a connection that failed) is
 * temporary.
 */
export function isPermanentFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** What a failure is called on the person's settings page: the server's answer, without our own addresses. */
export function failureText(err: unknown): string {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string } | null;
  if (e?.response) return e.response.slice(0, 300);
  if (e?.code) return `${e.code}: ${e.message ?? ''}`.slice(0, 300);
  return String(e?.message ?? err).slice(0, 300);
}
