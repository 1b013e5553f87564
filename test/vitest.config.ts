import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The config lives in test/, but paths (include, migrations, views) are relative to the project.
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Test files that reach a database: those importing test/support/db.ts, directly or
 * through other test modules (deps.ts, builders…). Browser journeys stay on SQLite.
 * Worked out from the imports so a new test file joins the PostgreSQL run by itself.
 */
function databaseTestFiles(): string[] {
  const testDir = join(root, 'test');
  const files = (readdirSync(testDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.startsWith('artifacts'))
    .map((f) => join(testDir, f));
  const imports = new Map<string, string[]>();
  for (const file of files) {
    // Relative imports and re-exports; `import type` brings no code, so it does not count.
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/\b(?:import|export)\s+(type\s+)?(?:[^'";]*?\bfrom\s+)?['"](\.[^'"]+)['"]/g)]
      .filter((m) => !m[1])
      .map((m) => m[2]!);
    imports.set(file, specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
  }
  const reaches = new Map<string, boolean>();
  const reachesDb = (file: string, seen = new Set<string>()): boolean => {
    if (file === join(testDir, 'support', 'db.ts')) return true;
    if (reaches.has(file)) return reaches.get(file)!;
    if (seen.has(file)) return false;
    seen.add(file);
    const result = (imports.get(file) ?? []).some((dep) => reachesDb(dep, seen));
    reaches.set(file, result);
    return result;
  };
  return files
    .filter((f) => f.endsWith('.test.ts') && !f.endsWith('.browser.test.ts') && reachesDb(f))
    .map((f) => relative(root, f))
    .sort();
}

const shared = {
  environment: 'node',
  testTimeout: 20_000,
} as const;

export default defineConfig({
  root,
  test: {
    projects: [
      { extends: true as const, test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], env: { NODE_ENV: 'test' } } },
      // With TEST_DATABASE_URL (npm run test:pg provides one), the database tests run a second time on PostgreSQL.
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                ...shared,
                name: 'pg',
                include: databaseTestFiles(),
                env: { NODE_ENV: 'test', RW_TEST_ENGINE: 'pg' },
                globalSetup: ['test/support/pg-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
