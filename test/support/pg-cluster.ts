/**
 * `npm run test:pg [-- <vitest args>]`: the database tests on PostgreSQL.
 *
 * With TEST_DATABASE_URL set, runs vitest's PostgreSQL project against that server.
 * Without it, starts a throwaway cluster from the machine's PostgreSQL server
 * binaries (initdb and pg_ctl from PATH, /usr/local/bin or /usr/lib/postgresql/<v>/bin)
 * in a temporary folder, on a free port with its socket in that folder, trusting
 * local connections, runs the suite against it, then stops it and removes the folder,
 * also on failure and on Ctrl-C. PostgreSQL refuses to run as root: as root the
 * cluster belongs to the `postgres` user (or `nobody`) and runs through `runuser`.
 *
 * `startPgCluster()` is exported for other tools (the bench) that want a server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type PgCluster = {
  /** postgres://postgres@127.0.0.1:<port>/postgres: a superuser, no password. */
  readonly url: string;
  /** Stops the server (immediately: nothing in it is kept) and removes its folder. */
  stop(): Promise<void>;
};

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The folder holding initdb and pg_ctl: PATH first, then /usr/local/bin, then Debian's newest /usr/lib/postgresql/<v>/bin. */
export function findPgBin(): string | undefined {
  const versioned = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/bin', ...versioned];
  return dirs.find((dir) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl')));
}

/** Whom the server runs as when we are root: PostgreSQL will not. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root, and there is no postgres or nobody user to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary (as the server user when root); rejects with its output when it fails. */
function run(bin: string, args: readonly string[], cwd: string, user: ReturnType<typeof serverUser>): Promise<void> {
  const [cmd, argv] = user ? ['runuser', ['-u', user.name, '--', bin, ...args]] : [bin, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

/**
 * initdb into a temporary folder and start the server on a free port; see the file's
 * comment. Its data is thrown away, so by default it does not sync to disk (fsync,
 * synchronous_commit and full_page_writes off); `durable` keeps PostgreSQL's defaults,
 * for measuring what a commit costs on a production server (the bench).
 */
export async function startPgCluster(opts: { readonly durable?: boolean } = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error("no PostgreSQL server binaries (initdb, pg_ctl) found; install them (Debian: apt-get install postgresql) or set TEST_DATABASE_URL");
  const user = serverUser();
  // As root, under /tmp, which any user may enter (root's own TMPDIR may not be).
  const dir = await mkdtemp(join(user ? '/tmp' : tmpdir(), 'ratiowatch-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const pgCtl = join(bin, 'pg_ctl');
  let started = false;
  const stop = async () => {
    try {
      if (started) await run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], dir, user);
    } finally {
      started = false;
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    // C collation sorts like SQLite's default (by code point); trust: only this machine can connect.
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], dir, user);
    // A port can be taken between asking and listening: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        // Throwaway data: no need to survive a power cut (unless asked to sync as a production server does).
        ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
        '-c max_connections=300',
      ].join(' ');
      try {
        await run(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], dir, user);
        started = true;
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs vitest's PostgreSQL project with `url`; answers its exit code. */
function runSuite(url: string, args: readonly string[], track: (child: ChildProcess | undefined) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/vitest.config.ts', '--project', 'pg', ...args], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: url },
    });
    track(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      track(undefined);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let suite: ChildProcess | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    // The suite (if running) ends first; the finally below then stops the cluster.
    suite?.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const given = process.env.TEST_DATABASE_URL;
  if (given) return runSuite(given, args, (c) => (suite = c));
  const cluster = await startPgCluster();
  try {
    console.log(`PostgreSQL test cluster at ${cluster.url}`);
    if (interrupted) return 130;
    const code = await runSuite(cluster.url, args, (c) => (suite = c));
    return interrupted ? 130 : code;
  } finally {
    await cluster.stop();
    console.log('PostgreSQL test cluster stopped and removed');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
