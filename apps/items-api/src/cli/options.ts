import { parseArgs } from 'node:util';
import { type Protocol, protocols } from '@tsgi/node';

/** The modes of the tutorial's CLI. */
export const MODES = ['server', 'demo', 'environ'] as const;

/** What `items-api` was asked to do. */
export type CliCommand =
  | { kind: 'help' }
  | { kind: 'migrate' }
  | { kind: 'environ' }
  | { kind: 'demo'; host: string; port: number }
  | {
      kind: 'server';
      host: string;
      port: number;
      workers: number | undefined;
      socket: string | undefined;
      protocol: Protocol | undefined;
      /** `--environ on|off`: sets `ITEMS_ENVIRON` for the app; unset leaves the default. */
      environ: 'on' | 'off' | undefined;
      /** Arguments after `--`, passed to `tsgi serve` as they are. */
      tsgiArgs: string[];
    };

/** A bad command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/**
 * Parses `items-api` arguments. `HOST` and `PORT` from the environment are the
 * defaults of `--host` and `--port` (else 127.0.0.1 and 8002). Throws a
 * {@link UsageError} naming the bad argument.
 *
 * @example
 * parseCli(['--mode', 'server', '--workers', '2'], process.env);
 */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? [...argv] : argv.slice(0, dash);
  const tsgiArgs = dash === -1 ? [] : argv.slice(dash + 1);
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        mode: { type: 'string' };
        host: { type: 'string' };
        port: { type: 'string'; short: 'p' };
        workers: { type: 'string'; short: 'w' };
        socket: { type: 'string' };
        protocol: { type: 'string' };
        environ: { type: 'string' };
        help: { type: 'boolean'; short: 'h' };
      };
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: own,
      options: {
        mode: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string', short: 'p' },
        workers: { type: 'string', short: 'w' },
        socket: { type: 'string' },
        protocol: { type: 'string' },
        environ: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'migrate')) {
    throw new UsageError(
      `unknown command ${JSON.stringify(positionals.join(' '))}; the only command is "migrate"`,
    );
  }
  if (positionals[0] === 'migrate') {
    if (values.mode !== undefined) throw new UsageError('"migrate" takes no --mode');
    return { kind: 'migrate' };
  }
  const mode = values.mode ?? 'environ';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
  if (mode !== 'server') {
    for (const name of ['workers', 'socket', 'protocol', 'environ'] as const) {
      if (values[name] !== undefined)
        throw new UsageError(`--${name} only applies to --mode server`);
    }
    if (tsgiArgs.length > 0) throw new UsageError('arguments after -- only apply to --mode server');
  }
  if (mode === 'environ') return { kind: 'environ' };
  const host = values.host ?? (env.HOST || '127.0.0.1');
  const port = wholeNumber(
    'port',
    values.port ?? (env.PORT || '8002'),
    mode === 'demo' ? 1 : 0,
    65_535,
  );
  if (mode === 'demo') return { kind: 'demo', host, port };
  const protocol = values.protocol as Protocol | undefined;
  if (protocol !== undefined && !protocols.includes(protocol)) {
    throw new UsageError(
      `--protocol must be one of ${protocols.join(', ')}, got ${JSON.stringify(protocol)}`,
    );
  }
  const environ = values.environ;
  if (environ !== undefined && environ !== 'on' && environ !== 'off') {
    throw new UsageError(`--environ must be on or off, got ${JSON.stringify(environ)}`);
  }
  return {
    kind: 'server',
    host,
    port,
    workers:
      values.workers === undefined ? undefined : wholeNumber('workers', values.workers, 1, 1024),
    socket: values.socket === '' ? undefined : values.socket,
    protocol,
    environ,
    tsgiArgs,
  };
}
