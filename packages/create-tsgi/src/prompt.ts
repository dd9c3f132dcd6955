import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { nameProblem, PROTOCOLS, type Protocol, type ScaffoldOptions } from './scaffold.js';

/** The folder made when none is given. */
export const DEFAULT_DIR = 'my-tsgi-app';

/**
 * Completes `given` by asking on `input`/`output` for what is missing (the
 * folder, the protocol), each with its default in brackets; with `yes`,
 * takes the defaults without asking. Asks again after an answer that is not
 * usable.
 */
export async function complete(
  given: Partial<ScaffoldOptions>,
  yes: boolean,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<ScaffoldOptions> {
  if (yes) return { dir: DEFAULT_DIR, ...given };
  const rl = createInterface({ input, output });
  try {
    let dir = given.dir;
    while (dir === undefined) {
      const answer = (await rl.question(`Project folder (${DEFAULT_DIR}): `)).trim() || DEFAULT_DIR;
      const problem = nameProblem(given.name ?? basename(answer));
      if (problem === undefined) dir = answer;
      else output.write(`${problem}\n`);
    }
    let protocol = given.protocol;
    while (protocol === undefined) {
      const answer = (
        await rl.question(`Nginx talks to the app over ${PROTOCOLS.join(', ')}? (http): `)
      )
        .trim()
        .toLowerCase();
      if (answer === '' || PROTOCOLS.includes(answer as Protocol)) {
        protocol = (answer || 'http') as Protocol;
      } else output.write(`answer ${PROTOCOLS.join(', ')}\n`);
    }
    return { ...given, dir, protocol };
  } finally {
    rl.close();
  }
}
