import type { RequestHandler } from 'express';
import { streamSessionKey, type EventHub } from './hub.js';

/**
 * Closes a session's board streams as soon as a request ends that session: a
 * sign-out destroys it, a sign-in over it or currentUser (a deactivated user, a
 * reset password, 12 idle hours) replaces it with a new id. Either way the
 * streams opened under the old id end with that response, not at the next
 * heartbeat; a board left open on a shared tablet stops receiving cards the moment
 * someone signs out on it.
 *
 * Watches every signed-in request rather than the sign-out route, so no way of
 * ending a session can forget the streams.
 */
export function closeStreamsAtSessionEnd(hub: EventHub): RequestHandler {
  return (req, res, next) => {
    // Only a signed-in session can have streams.
    if (!req.session?.userId) return next();
    const sid = req.sessionID;
    const ended = () => {
      res.off('finish', ended);
      res.off('close', ended);
      if (req.session === undefined || req.session === null || req.sessionID !== sid) hub.closeSession(streamSessionKey(sid));
    };
    res.on('finish', ended);
    res.on('close', ended);
    next();
  };
}
