import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `src/cli/<name>.ts` as a real child process, the way `npm run -s <name>` runs it
 * (node with tsx), from the project root.
 */
export function runCliProcess(
  name: string,
  options: { readonly args?: readonly string[]; readonly stdin?: string; readonly env?: Record<string, string> } = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${name}.ts`, ...(options.args ?? [])], {
    cwd: ROOT,
    input: options.stdin,
    encoding: 'utf8',
    timeout: 20_000,
    env: options.env ? { ...process.env, ...options.env } : process.env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
