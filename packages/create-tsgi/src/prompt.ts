import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { nameProblem, PROTOCOLS, type Protocol, type ScaffoldOptions } from './scaffold.js';

/** The folder made when none is given. */
export const DEFAULT_DIR = 'my-tsgi-app';

/** Asks one question and resolves with the answer line; `close()` when done. */
interface Asker {
  (question: string): Promise<string>;
  close(): void;
}

/** Why there is no answer to `question`: the input ended first. */
function ended(question: string): Error {
  return new Error(
    `stdin ended before an answer to "${question.trim()}": pipe one line per question, ` +
      'give the folder and --protocol on the command line, or run with --yes to take the defaults',
  );
}

/**
 * Questions on `input`/`output`. On a terminal, readline's prompt (line
 * editing); otherwise (answers piped in) one line of `input` per question,
 * buffered, so lines that arrive before their question are kept. Either way
 * an input that ends before the answer rejects with an error saying so.
 */
function asker(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Asker {
  if ((input as { isTTY?: boolean }).isTTY === true) {
    const rl = createInterface({ input, output });
    let closed = false;
    let onClose = () => {};
    rl.once('close', () => {
      closed = true;
      onClose();
    });
    const ask = (question: string) =>
      new Promise<string>((resolve, reject) => {
        if (closed) return reject(ended(question));
        onClose = () => reject(ended(question));
        rl.question(question).then(resolve, reject);
      });
    return Object.assign(ask, { close: () => rl.close() });
  }
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string) => {
    output.write(question);
    const line = await lines.next();
    if (line.done === true) {
      output.write('\n');
      throw ended(question);
    }
    // Shown after the question, as a terminal would echo it.
    output.write(`${line.value}\n`);
    return line.value as string;
  };
  return Object.assign(ask, { close: () => rl.close() });
}

/**
 * Completes `given` by asking on `input`/`output` for what is missing (the
 * folder, the protocol), each with its default in brackets; with `yes`,
 * takes the defaults without asking. Asks again after an answer that is not
 * usable. Answers piped in (`input` not a terminal) are read one line per
 * question; an input that ends before the answers rejects, naming `--yes`.
 */
export async function complete(
  given: Partial<ScaffoldOptions>,
  yes: boolean,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<ScaffoldOptions> {
  if (yes) return { dir: DEFAULT_DIR, ...given };
  const ask = asker(input, output);
  try {
    let dir = given.dir;
    while (dir === undefined) {
      const answer = (await ask(`Project folder (${DEFAULT_DIR}): `)).trim() || DEFAULT_DIR;
      const problem = nameProblem(given.name ?? basename(answer));
      if (problem === undefined) dir = answer;
      else output.write(`${problem}\n`);
    }
    let protocol = given.protocol;
    while (protocol === undefined) {
      const answer = (await ask(`Nginx talks to the app over ${PROTOCOLS.join(', ')}? (http): `))
        .trim()
        .toLowerCase();
      if (answer === '' || PROTOCOLS.includes(answer as Protocol)) {
        protocol = (answer || 'http') as Protocol;
      } else output.write(`answer ${PROTOCOLS.join(', ')}\n`);
    }
    return { ...given, dir, protocol };
  } finally {
    ask.close();
  }
}
