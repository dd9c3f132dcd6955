import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { defaults } from '../options/defaults.js';
import type { CliConfig } from '../supervisor/config.js';
import { splitTarget } from '../supervisor/load-app.js';
import { typeScriptProblem } from '../supervisor/typescript.js';
import { parseHttpProtocols, tlsProblem } from '../tls/options.js';
import { readConfigFile } from './config-file.js';
import { cliDefault, FLAGS, type Flag, findFlag } from './flags.js';
import { reloadConflict } from './reload-conflict.js';

export type { CliConfig } from '../supervisor/config.js';

/** What the command line asked for. */
export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; config: CliConfig };

/** A usage error: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The config before flags, variables and the file: every flag at its default. */
function defaultConfig(): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of FLAGS) config[f.key] = cliDefault(f);
  return config;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i;
const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Reads one raw value for a flag; throws a `UsageError` naming the flag and where the value came from. */
function readValue(flag: Flag, raw: string | number | boolean, from: string): unknown {
  const text = String(raw).trim();
  const bad = (what: string) =>
    new UsageError(`${from}: ${flag.name} must be ${what}, got ${JSON.stringify(raw)}`);
  switch (flag.kind) {
    case 'string':
      return text;
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['1', 'true', 'yes', 'on', ''].includes(lower)) return true;
      if (['0', 'false', 'no', 'off'].includes(lower)) return false;
      throw bad('true or false');
    }
    case 'integer': {
      if (!/^\d+$/.test(text)) throw bad('a whole number >= 0');
      return Number(text);
    }
    case 'seconds': {
      const value = Number(text.replace(/s$/, ''));
      if (text === '' || !Number.isFinite(value) || value < 0)
        throw bad('seconds >= 0 (e.g. 30 or 0.5)');
      return value;
    }
    case 'size': {
      const match = SIZE.exec(text);
      if (match === null) throw bad('a size in bytes, or with k/m/g (e.g. 10m)');
      return Math.floor(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
    }
    case 'mode': {
      if (!/^0?o?[0-7]{3,4}$/.test(text)) throw bad('an octal file mode such as 660');
      return Number.parseInt(text.replace(/^0?o?/, ''), 8);
    }
    case 'choice': {
      if (!flag.choices!.includes(text)) throw bad(`one of ${flag.choices!.join(', ')}`);
      return text;
    }
  }
}

/** A sentence about the library's options, with the flags' names (`caCerts` → `--ca-certs`). */
function cliNames(text: string): string {
  return text.replace(
    /\b(certfile|keyfile|caCerts|certReqs)\b/g,
    (key) => `--${findFlag(key)!.name}`,
  );
}

/**
 * Parses `tsgi` arguments and merges, lowest first: defaults, the config file
 * (`--config` or `TSGI_CONFIG`), `TSGI_*` environment variables, flags.
 * Throws `UsageError` with a message naming the bad flag, key or variable.
 *
 * @example
 * resolveCommand(['serve', 'dist/app.js', '--workers', '4'], process.env);
 */
export function resolveCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Command {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
    config: { type: 'string', short: 'c' },
  };
  for (const f of FLAGS) options[f.name] = { type: f.kind === 'boolean' ? 'boolean' : 'string' };
  if (options.workers) options.workers.short = 'w';
  if (options.port) options.port.short = 'p';
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, module, ...extra] = parsed.positionals;
  if (command === undefined) return { kind: 'help' };
  if (command !== 'serve')
    throw new UsageError(`unknown command ${JSON.stringify(command)}; try: tsgi serve <module>`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);

  const merged: Record<string, unknown> = defaultConfig();
  let fileModule: string | undefined;
  const configPath = (values.config as string | undefined) ?? env.TSGI_CONFIG;
  if (configPath !== undefined && configPath !== '') {
    for (const [key, raw] of Object.entries(readConfigFile(configPath))) {
      if (key === 'module' || key === 'app') {
        fileModule = String(raw);
        continue;
      }
      const f = findFlag(key);
      if (f === undefined)
        throw new UsageError(`${configPath}: unknown setting ${JSON.stringify(key)}`);
      merged[f.key] = readValue(f, raw, configPath);
    }
  }
  for (const f of FLAGS) {
    const name = `TSGI_${f.name.toUpperCase().replaceAll('-', '_')}`;
    const raw = env[name];
    if (raw !== undefined && raw !== '') merged[f.key] = readValue(f, raw, name);
  }
  for (const f of FLAGS) {
    const raw = values[f.name];
    if (raw !== undefined) merged[f.key] = readValue(f, raw, `--${f.name}`);
  }
  const target = module ?? env.TSGI_MODULE ?? fileModule;
  if (target === undefined || target === '') {
    throw new UsageError('no application module given; try: tsgi serve dist/app.js');
  }
  const typeScript = typeScriptProblem(splitTarget(target).specifier);
  if (typeScript !== undefined) throw new UsageError(typeScript);
  merged.module = target;
  const conflict = reloadConflict(merged as unknown as CliConfig);
  if (conflict !== undefined) throw new UsageError(conflict);
  merged.workers ??= defaults.workers === 'cpus' ? availableParallelism() : defaults.workers;
  if ((merged.workers as number) < 1) throw new UsageError('workers must be at least 1');
  merged.maxRequestsJitter ??= Math.floor(
    ((merged.maxRequests as number) * defaults.maxRequestsJitterPercent) / 100,
  );
  const config = merged as unknown as CliConfig;
  if (config.port > 65_535) throw new UsageError(`port must be 0-65535, got ${config.port}`);
  if (config.socket === '') config.socket = undefined;
  if (config.trustProxy === '') config.trustProxy = undefined;
  for (const key of ['certfile', 'keyfile', 'caCerts'] as const) {
    if (config[key] === '') config[key] = undefined;
  }
  const httpProtocols = parseHttpProtocols(config.httpProtocols);
  if (typeof httpProtocols === 'string') throw new UsageError(httpProtocols);
  if (config.http2MaxConcurrentStreams < 1) {
    throw new UsageError('http2-max-concurrent-streams must be at least 1');
  }
  const tls = tlsProblem(config.protocol, { ...config, httpProtocols });
  if (tls !== undefined) throw new UsageError(cliNames(tls));
  return { kind: 'serve', config };
}
