import { protocols } from '../contracts/protocol.js';
import { defaults } from '../options/defaults.js';
import { certReqsValues, showHttpProtocols } from '../tls/options.js';

/** The kind of value a flag takes; decides how a string from argv, env or a file is read. */
export type FlagKind = 'string' | 'integer' | 'seconds' | 'size' | 'mode' | 'boolean' | 'choice';

/** One setting of `tsgi serve`: a `--flag`, a `TSGI_*` variable and a config-file key. */
export interface Flag {
  /** The long flag without dashes, kebab-case: `max-requests`. */
  readonly name: string;
  /** The key in the resolved config, camelCase: `maxRequests`. */
  readonly key: string;
  readonly kind: FlagKind;
  /** Allowed values of a `choice` flag. */
  readonly choices?: readonly string[];
  /** One line for `--help`. */
  readonly help: string;
  /** Section of `--help`. */
  readonly group: 'where' | 'what' | 'tls' | 'workers' | 'limits' | 'misc' | 'dev';
}

const flag = (
  name: string,
  kind: FlagKind,
  group: Flag['group'],
  help: string,
  choices?: readonly string[],
): Flag => ({
  name,
  key: name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
  kind,
  group,
  help,
  choices,
});

/** Every setting of `tsgi serve`, in `--help` order; their defaults are `defaults`' (see `cliDefault`). */
export const FLAGS: readonly Flag[] = [
  flag('host', 'string', 'where', 'address to bind for TCP'),
  flag('port', 'integer', 'where', 'TCP port (0 picks a free one)'),
  flag('socket', 'string', 'where', 'listen on this Unix socket path instead of TCP'),
  flag('chmod-socket', 'mode', 'where', 'octal file mode of the Unix socket (never the umask’s)'),
  flag('backlog', 'integer', 'where', 'pending-connection queue length'),
  flag(
    'protocol',
    'choice',
    'what',
    "wire protocol: 'http', 'uwsgi' (Nginx uwsgi_pass) or 'fastcgi' (Nginx fastcgi_pass)",
    [...protocols],
  ),
  flag(
    'certfile',
    'string',
    'tls',
    'serve HTTPS with this PEM certificate (needs --keyfile; http only)',
  ),
  flag('keyfile', 'string', 'tls', 'the PEM private key of --certfile'),
  flag('ca-certs', 'string', 'tls', 'PEM bundle of the CAs that issue client certificates'),
  flag(
    'cert-reqs',
    'choice',
    'tls',
    "ask clients for a certificate: 'none', 'optional' or 'required' (needs --ca-certs)",
    certReqsValues,
  ),
  flag(
    'http-protocols',
    'string',
    'tls',
    'comma-separated: over TLS what ALPN offers, most preferred first, h2 (HTTP/2) and/or h1 (HTTP/1.1); without TLS, h2c adds HTTP/2 by prior knowledge (h2c,h1 or h2c alone)',
  ),
  flag('workers', 'integer', 'workers', 'worker processes; 1 runs without a master'),
  flag(
    'max-requests',
    'integer',
    'workers',
    'recycle a worker after this many requests (0: never)',
  ),
  flag('max-requests-jitter', 'integer', 'workers', 'add 0..N to each worker’s max-requests'),
  flag(
    'harakiri',
    'seconds',
    'workers',
    'recycle a worker stuck on one request this long (0: off)',
  ),
  flag(
    'graceful-timeout',
    'seconds',
    'workers',
    'how long in-flight requests may finish on stop/reload',
  ),
  flag('metrics', 'string', 'workers', 'serve /metrics and /stats on host:port or a socket path'),
  flag('body-limit', 'size', 'limits', 'largest request body (bytes, or 512k / 10m / 1g)'),
  flag('max-url-length', 'integer', 'limits', 'longest request target in bytes'),
  flag('max-headers-count', 'integer', 'limits', 'most request header fields'),
  flag('max-header-size', 'size', 'limits', 'largest request head (HTTP only)'),
  flag(
    'http2-max-concurrent-streams',
    'integer',
    'limits',
    'HTTP/2 streams a connection may have open at once',
  ),
  flag(
    'headers-timeout',
    'seconds',
    'limits',
    'time to receive the request head / uwsgi packet / FastCGI params',
  ),
  flag('request-timeout', 'seconds', 'limits', 'time to receive the whole request (HTTP only)'),
  flag(
    'keep-alive-timeout',
    'seconds',
    'limits',
    'idle keep-alive connection lifetime (HTTP and FastCGI)',
  ),
  flag('idle-timeout', 'seconds', 'limits', 'close a connection silent this long (0: never)'),
  flag(
    'websocket-max-message',
    'size',
    'limits',
    'largest WebSocket message; a longer one closes with 1009 (HTTP only)',
  ),
  flag(
    'websocket-ping-interval',
    'seconds',
    'limits',
    'ping a WebSocket silent this long; close it if it stays silent (0: off)',
  ),
  flag(
    'trust-proxy',
    'string',
    'misc',
    "trusted proxies: 'loopback', 'unix', IPs/CIDRs, comma-separated (HTTP only)",
  ),
  flag('access-log', 'choice', 'misc', "access log to stdout: 'off', 'common' or 'json'", [
    'off',
    'common',
    'json',
  ]),
  flag('script-name', 'string', 'misc', 'mount prefix given to the app as SCRIPT_NAME, e.g. /api'),
  flag(
    'sockets',
    'choice',
    'misc',
    "uwsgi/FastCGI connections: 'raw' (on libuv handles, no net.Socket) or 'node'",
    ['raw', 'node'],
  ),
  flag(
    'websocket-deflate',
    'boolean',
    'misc',
    'offer WebSocket permessage-deflate (costs memory per connection)',
  ),
  flag('debug', 'boolean', 'misc', 'error details in 500 bodies (development only)'),
  flag(
    'reload',
    'boolean',
    'dev',
    "reload the workers when the app's files change (development only)",
  ),
  flag(
    'reload-dir',
    'string',
    'dev',
    "paths --reload watches, comma-separated; unset: the app module's folder",
  ),
];

const DEFAULTS: Readonly<Record<string, unknown>> = defaults;

/** Flags whose `defaults` entry has the name of the library option instead. */
const DEFAULT_KEYS: Readonly<Record<string, string>> = { chmodSocket: 'socketMode' };

/**
 * The default of a flag in the flag's own unit, from `defaults`: seconds
 * for times, `'off'` for an access log that is off; `undefined` when the
 * default is computed at start-up (`workers`, `max-requests-jitter`) or
 * there is none (`socket`, `trust-proxy`).
 */
export function cliDefault(flag: Flag): unknown {
  if (flag.key === 'httpProtocols') return showHttpProtocols(defaults.httpProtocols);
  const value = DEFAULTS[DEFAULT_KEYS[flag.key] ?? flag.key];
  if (typeof value === 'number' && flag.kind === 'seconds') return value / 1000;
  if (value === false && flag.kind === 'choice') return 'off';
  if (typeof value === 'string' && flag.kind === 'integer') return undefined;
  return value;
}

/**
 * The default of a flag as `--help` and the CLI table of docs/packages/node/cli.md show it
 * (`1m`, `20`, `off`, `CPU count`), or `undefined` when there is none to show.
 */
export function shownDefault(flag: Flag): string | undefined {
  if (flag.key === 'workers' && defaults.workers === 'cpus') return 'CPU count';
  if (flag.key === 'maxRequestsJitter') return `${defaults.maxRequestsJitterPercent}% of it`;
  const value = cliDefault(flag);
  if (value === undefined || value === '') return undefined;
  if (value === false) return 'off';
  if (typeof value === 'number' && flag.kind === 'size') return shownSize(value);
  if (typeof value === 'number' && flag.kind === 'mode') return value.toString(8);
  return String(value);
}

function shownSize(bytes: number): string {
  for (const [unit, size] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** The flag for a config-file key or env name in any spelling (`max_requests`, `maxRequests`). */
export function findFlag(key: string): Flag | undefined {
  const normal = key
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replaceAll('_', '-')
    .toLowerCase();
  return FLAGS.find((f) => f.name === normal);
}
