import { PACK_IDS, packStatus, unverifiedItems } from '../domain/rule-pack.js';
import { getPack } from '../domain/rules/index.js';

/**
 * `npm run -s rules -- MN`: prints a jurisdiction's rule pack as JSON, with its
 * status (draft while any item is unconfirmed) and the unconfirmed items.
 */
const id = process.argv[2];
const pack = id === undefined ? undefined : getPack(id.toUpperCase());
if (!pack) {
  // Quoted as JSON: a line break typed into the argument stays on the one line.
  process.stderr.write(`rules: ${id === undefined ? 'state: required' : `state: unknown state ${JSON.stringify(id)}`} (one of ${PACK_IDS.join(', ')})\n`);
  process.exitCode = 2;
} else {
  const { id: state, ...rest } = pack;
  const output = { state, packStatus: packStatus(pack), unverifiedItems: unverifiedItems(pack), ...rest };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}
