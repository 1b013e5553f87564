import { benchBoard } from './board.js';
import { benchEngine } from './engine.js';
import { benchForecast } from './forecast.js';

/**
 * `npm run bench`: prints speed figures against their targets. Not a test:
 * figures depend on the machine; the targets are for this project's 2-core box.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
log(`Ratiowatch benchmark, node ${process.version}, ${new Date().toISOString()}`);
benchEngine(log);
benchForecast(log);
await benchBoard(log);
