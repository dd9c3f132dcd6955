import { parseArgs } from 'node:util';
import { PROTOCOLS, type Protocol, type ScaffoldOptions } from './scaffold.js';

/** What the command line asked for: the options given, and whether to ask for the rest. */
export interface Command {
  /** The options from argv; missing ones are asked for, or defaulted with `--yes`. */
  options: Partial<ScaffoldOptions>;
  /** `--yes`: ask nothing, take the defaults. */
  yes: boolean;
  /** `--help`. */
  help: boolean;
}

/** The text of `create-tsgi --help`. */
export const HELP = `Usage: npm create tsgi@latest [folder] [-- options]
       create-tsgi [folder] [--name <package name>] [--protocol http|uwsgi|fastcgi] [--yes]

Makes a standalone TSGI app in <folder>: src/app.ts (router, CORS, timing), a test,
npm run dev (reload), npm start, tsgi.json and deploy/ (Nginx, systemd).

  --name <name>        package name (default: the folder's name)
  --protocol <p>       how Nginx reaches the app in production: http (default), uwsgi or fastcgi
  -y, --yes            ask nothing; defaults for what is not given (folder: my-tsgi-app)
  -h, --help           this text
`;

/** Reads `create-tsgi` arguments; throws a `TypeError` naming a bad one. */
export function readArgs(argv: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      protocol: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 1) throw new TypeError(`one folder only, got ${positionals.join(' ')}`);
  const protocol = values.protocol;
  if (protocol !== undefined && !PROTOCOLS.includes(protocol as Protocol)) {
    throw new TypeError(
      `--protocol must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`,
    );
  }
  const options: Partial<ScaffoldOptions> = {};
  if (positionals[0] !== undefined) options.dir = positionals[0];
  if (values.name !== undefined) options.name = values.name;
  if (protocol !== undefined) options.protocol = protocol as Protocol;
  return { options, yes: values.yes === true, help: values.help === true };
}
