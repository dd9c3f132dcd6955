import { FLAGS, type Flag, shownDefault } from './flags.js';

const GROUPS: Record<string, string> = {
  where: 'Where to listen',
  what: 'Protocol',
  tls: 'TLS (HTTPS)',
  workers: 'Workers and lifecycle',
  limits: 'Limits and timeouts',
  misc: 'Application',
  dev: 'Development',
};

/** The text of `tsgi --help`. */
export function helpText(): string {
  const lines = [
    'tsgi — run a TSGI application: HTTP/1.1, uwsgi or FastCGI, with a master and workers',
    '',
    'Usage: tsgi serve <module>[:export] [options]',
    '       tsgi top <metrics address> [--once] [--interval <seconds>]',
    '',
    '  <module> is a JavaScript module, or TypeScript (.ts) on Node >= 22.18; the app',
    '  is its export named `application`, else its default export, unless :export',
    '  names another. The module must not call serve() itself.',
    '',
    'Examples:',
    '  tsgi serve dist/app.js --port 8000 --workers 1',
    '  tsgi serve src/app.ts --workers 1                  (Node >= 22.18)',
    '  tsgi serve dist/app.js:api --socket /run/tsgi/app.sock --chmod-socket 660 --protocol uwsgi',
    '  tsgi serve --config /etc/tsgi/tsgi.ini',
    '  TSGI_WORKERS=4 TSGI_MAX_REQUESTS=10000 tsgi serve dist/app.js --harakiri 30',
    '  tsgi serve dist/app.js --metrics 127.0.0.1:9100   then: tsgi top 127.0.0.1:9100',
    '',
    'Signals to the master: TERM/INT graceful stop, HUP rolling reload,',
    'TTIN add a worker, TTOU remove one. Under systemd socket activation',
    '(LISTEN_FDS) the inherited socket (fd 3) is used instead of --host/--port/--socket.',
    '',
  ];
  for (const [group, title] of Object.entries(GROUPS)) {
    lines.push(`${title}:`);
    for (const f of FLAGS.filter((x) => x.group === group)) {
      const left = flagColumn(f);
      const value = shownDefault(f);
      const shown = value === undefined ? '' : ` (default: ${value})`;
      lines.push(`${left.padEnd(WIDTH)}${f.help}${shown}`);
    }
    lines.push('');
  }
  lines.push(
    'Other:',
    `${'  -c, --config <file>'.padEnd(WIDTH)}tsgi.json, or an ini file with a [tsgi] section`,
    `${'  -h, --help'.padEnd(WIDTH)}this text`,
    `${'  -v, --version'.padEnd(WIDTH)}the version of @tsgi/node`,
    '',
    'Every option is also read from the config file (same names) and from TSGI_<NAME>',
    'environment variables (TSGI_MAX_REQUESTS=1000); flags win over variables, variables',
    'over the file. Short forms: -p port, -w workers.',
    '',
  );
  return lines.join('\n');
}

/** The left column of a flag's `--help` line. */
function flagColumn(f: Flag): string {
  return `  --${f.name}${f.kind === 'boolean' ? '' : ' <value>'}`;
}

/** Where `--help` starts its second column: after the longest flag and two spaces. */
const WIDTH = Math.max(...FLAGS.map((f) => flagColumn(f).length + 2));
