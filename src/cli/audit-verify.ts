/**
 * `npm run audit:verify`: walks the audit log's hash chain. Prints
 * `audit log OK: N entries` (exit 0) or `audit log broken at entry <id>: <why>` (exit 1).
 */
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { verifyAuditLog } from '../db/audit.js';
import { createDb, migrateLatest } from '../db/knex.js';

export async function auditVerify(config: Config): Promise<{ ok: boolean; line: string }> {
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const result = await verifyAuditLog(db);
    return result.ok
      ? { ok: true, line: `audit log OK: ${result.entries} entries` }
      : { ok: false, line: `audit log broken at entry ${result.brokenAt}: ${result.reason}` };
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // It takes no arguments: one given is a mistake (a flag from another command), not something to ignore.
  if (process.argv.length > 2) {
    console.error('audit-verify: takes no arguments (it reads DB_FILE or DATABASE_URL)');
    process.exit(2);
  }
  auditVerify(loadConfig()).then(
    ({ ok, line }) => {
      (ok ? console.log : console.error)(line);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
