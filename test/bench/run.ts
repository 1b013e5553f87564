import { benchBoard } from './board.js';
import { benchEngine } from './engine.js';
import { benchForecast } from './forecast.js';
import { benchRemedies } from './remedies.js';
import { benchRush } from './rush.js';

/**
 * `npm run bench`: prints speed figures against their targets. Not a test:
 * figures depend on the machine; the targets are for this project's 2-core box.
 * `npm run bench -- board rush` (any of engine, forecast, remedies, board, rush) runs only the
 * parts named. BENCH_ROUNDS and BENCH_SECONDS set the board's rounds (3 of 4 s);
 * BENCH_RUSH_RATES the morning rush's offered rates (by default 500 per second, then
 * 1000 if it kept pace, or else 80% of what it reached);
 * the rush runs on PostgreSQL too: at BENCH_DATABASE_URL (or TEST_DATABASE_URL), or
 * else on a throwaway server it starts from this machine's PostgreSQL binaries
 * (test/support/pg-cluster.ts), or it says why it was skipped. Every figure is printed
 * with its target and MET or NOT MET.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const parts = process.argv.slice(2);
const wanted = (part: string) => parts.length === 0 || parts.includes(part);
log(`Ratiowatch benchmark, node ${process.version}, ${new Date().toISOString()}`);
if (wanted('engine')) benchEngine(log);
if (wanted('forecast')) benchForecast(log);
if (wanted('remedies')) benchRemedies(log);
if (wanted('board')) await benchBoard(log);
if (wanted('rush')) await benchRush(log);
