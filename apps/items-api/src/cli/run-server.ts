import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './options.js';

type ServerCommand = Extract<CliCommand, { kind: 'server' }>;

/**
 * The `tsgi` CLI script to run: `TSGI_BIN` when set, else the `bin.tsgi` that
 * the installed @tsgi/node declares in its package.json.
 */
export function tsgiBin(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSGI_BIN) return env.TSGI_BIN;
  const pkgPath = createRequire(import.meta.url).resolve('@tsgi/node/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.tsgi;
  if (bin === undefined) throw new Error(`${pkgPath} declares no tsgi bin`);
  const path = join(dirname(pkgPath), bin);
  if (!existsSync(path)) {
    throw new Error(`the tsgi CLI is not built (${path} is missing): run \`pnpm build\` first`);
  }
  return path;
}

/** The app module `tsgi serve` loads: `application.js` beside this CLI. */
export function applicationModule(): string {
  return fileURLToPath(new URL('./application.js', import.meta.url));
}

/** The `tsgi serve …` arguments for a server command. */
export function tsgiArgs(command: ServerCommand, env: NodeJS.ProcessEnv = process.env): string[] {
  const args = ['serve', applicationModule()];
  if (command.socket !== undefined) args.push('--socket', command.socket);
  else args.push('--host', command.host, '--port', String(command.port));
  // One process unless asked otherwise (tsgi alone would start one per CPU).
  if (command.workers !== undefined) args.push('--workers', String(command.workers));
  else if (!env.TSGI_WORKERS) args.push('--workers', '1');
  if (command.protocol !== undefined) args.push('--protocol', command.protocol);
  return [...args, ...command.tsgiArgs];
}

const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGTTIN', 'SIGTTOU'] as const;

/**
 * The environment of `tsgi serve`: this process's, with `ITEMS_ENVIRON` set
 * when `--environ` was given.
 */
export function serverEnv(
  command: ServerCommand,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return command.environ === undefined ? env : { ...env, ITEMS_ENVIRON: command.environ };
}

/**
 * Runs `tsgi serve` on the app in a child process with this process's
 * stdio and environment (see {@link serverEnv}), passes on the signals tsgi understands (TERM/INT
 * stop, HUP reload, TTIN/TTOU scale) and resolves with its exit code.
 */
export function runServer(command: ServerCommand): Promise<number> {
  const child = spawn(process.execPath, [tsgiBin(), ...tsgiArgs(command)], {
    stdio: 'inherit',
    env: serverEnv(command),
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      resolve(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
    });
  });
}
