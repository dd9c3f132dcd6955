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
  /** The default, as shown in `--help`. */
  readonly shown?: string;
  /** Section of `--help`. */
  readonly group: 'where' | 'what' | 'workers' | 'limits' | 'misc';
}

const flag = (
  name: string,
  kind: FlagKind,
  group: Flag['group'],
  help: string,
  shown?: string,
  choices?: readonly string[],
): Flag => ({
  name,
  key: name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
  kind,
  group,
  help,
  shown,
  choices,
});

/** Every setting of `tsgi serve`, in `--help` order. */
export const FLAGS: readonly Flag[] = [
  flag('host', 'string', 'where', 'address to bind for TCP', '127.0.0.1'),
  flag('port', 'integer', 'where', 'TCP port (0 picks a free one)', '8000'),
  flag('socket', 'string', 'where', 'listen on this Unix socket path instead of TCP'),
  flag('chmod-socket', 'mode', 'where', 'octal file mode of the Unix socket, e.g. 660'),
  flag('backlog', 'integer', 'where', 'pending-connection queue length', '511'),
  flag(
    'protocol',
    'choice',
    'what',
    "wire protocol: 'http' or 'uwsgi' (Nginx uwsgi_pass)",
    'http',
    ['http', 'uwsgi'],
  ),
  flag('workers', 'integer', 'workers', 'worker processes; 1 runs without a master', 'CPU count'),
  flag(
    'max-requests',
    'integer',
    'workers',
    'recycle a worker after this many requests (0: never)',
    '0',
  ),
  flag(
    'max-requests-jitter',
    'integer',
    'workers',
    'add 0..N to each worker’s max-requests',
    '10% of it',
  ),
  flag(
    'harakiri',
    'seconds',
    'workers',
    'recycle a worker stuck on one request this long (0: off)',
    '0',
  ),
  flag(
    'graceful-timeout',
    'seconds',
    'workers',
    'how long in-flight requests may finish on stop/reload',
    '30',
  ),
  flag('body-limit', 'size', 'limits', 'largest request body (bytes, or 512k / 10m / 1g)', '1m'),
  flag('max-url-length', 'integer', 'limits', 'longest request target in bytes', '8192'),
  flag('max-headers-count', 'integer', 'limits', 'most request header fields', '100'),
  flag('max-header-size', 'size', 'limits', 'largest request head (HTTP only)', '16k'),
  flag(
    'headers-timeout',
    'seconds',
    'limits',
    'time to receive the request head / uwsgi packet',
    '20',
  ),
  flag(
    'request-timeout',
    'seconds',
    'limits',
    'time to receive the whole request (HTTP only)',
    '300',
  ),
  flag(
    'keep-alive-timeout',
    'seconds',
    'limits',
    'idle keep-alive connection lifetime (HTTP only)',
    '5',
  ),
  flag(
    'idle-timeout',
    'seconds',
    'limits',
    'close a connection silent this long (0: never)',
    '120',
  ),
  flag(
    'trust-proxy',
    'string',
    'misc',
    "trusted proxies: 'loopback', 'unix', IPs/CIDRs, comma-separated (HTTP only)",
  ),
  flag('access-log', 'choice', 'misc', "access log to stdout: 'off', 'common' or 'json'", 'off', [
    'off',
    'common',
    'json',
  ]),
  flag('script-name', 'string', 'misc', 'mount prefix given to the app as SCRIPT_NAME, e.g. /api'),
  flag('debug', 'boolean', 'misc', 'error details in 500 bodies (development only)'),
];

/** The flag for a config-file key or env name in any spelling (`max_requests`, `maxRequests`). */
export function findFlag(key: string): Flag | undefined {
  const normal = key
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replaceAll('_', '-')
    .toLowerCase();
  return FLAGS.find((f) => f.name === normal);
}
