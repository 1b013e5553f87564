import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import type { TestUser } from './builders.js';

export type Agent = TestAgent & {
  /** This session's CSRF token, read from a page's form. */
  csrf(): Promise<string>;
  /** POSTs a form with this session's CSRF token added. */
  submit(path: string, fields?: Record<string, string>): Promise<request.Response>;
};

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

/** A cookie-carrying agent, signed out. */
export function anAgent(app: Express): Agent {
  const agent = request.agent(app) as Agent;
  agent.csrf = async () => {
    const signIn = await agent.get('/sign-in');
    // Signed in, /sign-in redirects home. The token is read from the rule packs page's sign-out form: it
    // reads nothing, where home judges the user's centers (and, first thing in a day, makes its plan).
    return csrfFrom(signIn.status === 200 ? signIn.text : (await agent.get('/rules')).text);
  };
  agent.submit = async (path, fields = {}) => {
    // Token first: the agent attaches its cookies when the request is made.
    const _csrf = await agent.csrf();
    return agent.post(path).type('form').send({ ...fields, _csrf });
  };
  return agent;
}

/** Signs in through the form and returns the agent carrying the session cookie. */
export async function signInAs(app: Express, user: Pick<TestUser, 'email' | 'password'>): Promise<Agent> {
  const agent = anAgent(app);
  const res = await agent.submit('/sign-in', { email: user.email, password: user.password });
  expect(res.status, `sign-in of ${user.email}: ${res.text.slice(0, 200)}`).toBe(303);
  return agent;
}
