import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { csrfFrom } from './agent.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start` as a real child process: the server a crash test can kill. */
export type ServerProcess = {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL (kill -9): no shutdown, no draining, no closing of the database. */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful shutdown `npm start` does on Ctrl-C. */
  stop(): Promise<void>;
};

/**
 * Starts `node --import tsx src/web/server.ts` with `env` (PORT 0: a free port) and
 * waits for the line saying where it listens. Rejects with its stderr if it exits first.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/web/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const m = /running at (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return { url, child, kill9: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/**
 * A signed-in HTTP session against a server process, with plain fetch: it carries the
 * session cookie and sends this session's CSRF token with every form.
 */
export type HttpSession = {
  /** POSTs a form, as a browser does (a 303 answers success) or asking for JSON (the presence routes answer JSON when asked). */
  postForm(path: string, fields: Record<string, string>, opts?: { json?: boolean }): Promise<{ status: number; location: string | null; body: unknown }>;
  get(path: string): Promise<Response>;
};

export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<HttpSession> {
  let cookie = '';
  // The session cookie, and before sign-in the form token's cookie (a visitor has no session).
  const jar = new Map<string, string>();
  const keepCookie = (res: Response) => {
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('='));
      if (name === 'rw.sid' || name === 'rw.csrf') jar.set(name, pair);
    }
    cookie = [...jar.values()].join('; ');
  };
  const get = async (path: string) => {
    const res = await fetch(new URL(path, baseUrl), { headers: { cookie }, redirect: 'manual' });
    keepCookie(res);
    return res;
  };
  const signInPage = await get('/sign-in');
  const token = csrfFrom(await signInPage.text());
  const signedIn = await fetch(new URL('/sign-in', baseUrl), {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }),
    redirect: 'manual',
  });
  await signedIn.arrayBuffer();
  if (signedIn.status !== 303) throw new Error(`sign-in of ${email} answered ${signedIn.status}`);
  // Signing in starts a new session, with a new token: the home page's sign-out form carries it.
  keepCookie(signedIn);
  const csrf = csrfFrom(await (await get('/')).text());
  return {
    get,
    async postForm(path, fields, opts = { json: true }) {
      const res = await fetch(new URL(path, baseUrl), {
        method: 'POST',
        headers: { cookie, accept: opts.json ? 'application/json' : 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: csrf }),
        redirect: 'manual',
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text for the failure message.
      }
      return { status: res.status, location: res.headers.get('location'), body };
    },
  };
}
