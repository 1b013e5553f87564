import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { engine } from 'express-handlebars';

/**
 * The board bench's baseline, in a process of its own: plain Express and
 * express-handlebars rendering `static.hbs` from the folder in argv[2], no database,
 * no session. Its own process, so the app's heap and caches weigh on the app's
 * figures only. Prints its URL; GET /__cpu answers its CPU time so far (µs), for the
 * bench's CPU per request.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: baseline-server.ts <folder with static.hbs and layouts/>');
const app = express();
app.engine('hbs', engine({ extname: '.hbs', defaultLayout: false, layoutsDir: `${dir}/layouts` }));
app.set('view engine', 'hbs');
app.set('views', dir);
app.enable('view cache');
app.get('/', (_req, res) => res.render('static'));
app.get('/__cpu', (_req, res) => {
  const { user, system } = process.cpuUsage();
  res.json({ us: user + system });
});
const server = createServer(app);
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
