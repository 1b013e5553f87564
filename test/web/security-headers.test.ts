import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fixedHeaders } from '../../src/web/security-headers.js';

/** helmet's headers worked out once at start must be exactly the headers helmet sets per request. */
const appWith = (mw: RequestHandler) => {
  const app = express();
  app.disable('x-powered-by');
  app.use(mw);
  app.get('/', (_req, res) => res.send('ok'));
  return app;
};
const securityHeaders = (headers: Record<string, unknown>) => {
  const { date: _date, etag: _etag, ...rest } = headers;
  return rest;
};

describe('fixedHeaders', () => {
  it("sends the very headers helmet sends, with this app's policy", async () => {
    const options = { contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], frameAncestors: ["'none'"] } } };
    const plain = await request(appWith(helmet(options))).get('/');
    const fixed = await request(appWith(fixedHeaders(helmet(options)))).get('/');
    expect(securityHeaders(fixed.headers)).toEqual(securityHeaders(plain.headers));
    expect(fixed.headers['content-security-policy']).toBe("default-src 'self';script-src 'self';frame-ancestors 'none'");
  });

  it('leaves a middleware that reads the request, or does not answer at once, to run per request', async () => {
    let calls = 0;
    const perRequest: RequestHandler = (req, res, next) => {
      calls++;
      res.setHeader('X-Path', req.path ?? 'none');
      next();
    };
    const app = appWith(fixedHeaders(perRequest));
    expect((await request(app).get('/')).headers['x-path']).toBe('/');
    expect(calls).toBe(2);
    const later: RequestHandler = (_req, res, next) => void setImmediate(() => (res.setHeader('X-Later', '1'), next()));
    expect((await request(appWith(fixedHeaders(later))).get('/')).headers['x-later']).toBe('1');
  });
});
