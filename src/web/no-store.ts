import type { RequestHandler } from 'express';

/**
 * Every response the app renders (pages, exports, redirects, error pages; not the
 * files of public/, which the static middleware answers before this) is kept by no
 * cache: pages name children and staff, and on a center's shared tablet the back
 * button after a sign-out must not bring them back from the browser's cache.
 * `Pragma` for old HTTP/1.0 caches. A route may set its own `Cache-Control`, as long
 * as it keeps `no-store`.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
};
