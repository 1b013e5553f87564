import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import { z } from 'zod';
import { requestLogger } from '../../src/log.js';
import { csrfProtection } from '../../src/web/auth/csrf.js';
import { createEventHub, type EventHub } from '../../src/web/events/hub.js';
import { benchLogger } from './board.js';

/** About the size of a room's card as the app sends it (2,025 bytes in the rush). */
export const FLOOR_CARD_BYTES = 2_000;

/**
 * The morning rush's floor: what this machine and the rush's own tablets and boards
 * allow before the app does any work. An Express app with the app's request log,
 * express-session (in memory), body parsers, CSRF check and event hub, whose check-in
 * validates its body, sends one card-sized event to the center's boards and answers
 * 201, with no database, judging, forecast or rendering. The app cannot be faster
 * than this on the same machine; when this misses a target, no app on this stack
 * meets it here.
 *
 * `GET /floor/sign-in` starts a session and answers its CSRF token; `GET /__cpu` the
 * process's CPU time so far (µs).
 */
export function floorApp(hub: EventHub): express.Express {
  const app = express();
  app.use(requestLogger(benchLogger()));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));
  app.get('/__cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ us: user + system });
  });
  app.use(session({ name: 'floor.sid', secret: 'the rush floor, not a secret', resave: false, saveUninitialized: false, rolling: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(csrfProtection());
  const card = 'x'.repeat(FLOOR_CARD_BYTES);
  app.get('/floor/sign-in', (req, res) => {
    req.session.userId = 'floor';
    res.json({ csrf: res.locals.csrfToken as string });
  });
  app.get('/centers/:centerId/board/events', (req, res) => {
    if (!req.session.userId) return void res.sendStatus(403);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 3000\n\n');
    const off = hub.stream(String(req.params.centerId), (chunk) => res.write(chunk), () => res.end());
    req.on('close', off);
  });
  const body = z.union([z.object({ childId: z.string().uuid() }).strict(), z.object({ personId: z.string().uuid() }).strict()]);
  app.post(['/centers/:centerId/rooms/:roomId/check-ins', '/centers/:centerId/rooms/:roomId/arrivals'], (req, res) => {
    if (!req.session.userId) return void res.status(403).json({ error: 'sign in first' });
    const parsed = body.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: parsed.error.issues[0]?.message });
    hub.publish(String(req.params.centerId), { event: 'room-card', id: String(req.params.roomId), data: card });
    res.status(201).json({ id: crypto.randomUUID(), ...parsed.data });
  });
  return app;
}

// Run as a process of its own (as the board bench's baseline), so the app's heap and compiled code are not shared.
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const hub = createEventHub();
  const server = createServer(floorApp(hub));
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    hub.closeAll();
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
