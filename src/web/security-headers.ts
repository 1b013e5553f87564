import type { RequestHandler } from 'express';

type Step = readonly ['set', string, string | number | readonly string[]] | readonly ['remove', string];

/**
 * The headers a header-setting middleware such as helmet sets, worked out once.
 *
 * helmet builds every header again on every request (its directives may be
 * functions of the request). This app's are fixed strings, so helmet is asked once,
 * at start, with a recording response, and each request then gets the recorded
 * headers. Should the middleware not answer at once, or read the request (a nonce,
 * say), it is used as it is, per request.
 */
export function fixedHeaders(middleware: RequestHandler): RequestHandler {
  const steps: Step[] = [];
  let answered = false;
  let readRequest = false;
  const request = new Proxy(
    {},
    {
      get: () => {
        readRequest = true;
        return undefined;
      },
    },
  );
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      steps.push(['set', name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      steps.push(['remove', name]);
    },
  };
  middleware(request as never, recorder as never, (err?: unknown) => {
    answered = err === undefined;
  });
  if (!answered || readRequest) return middleware;
  return (_req, res, next) => {
    for (const step of steps) {
      if (step[0] === 'set') res.setHeader(step[1], step[2]);
      else res.removeHeader(step[1]);
    }
    next();
  };
}
