/** The wire protocol a new app is deployed with behind Nginx. */
export type Protocol = 'http' | 'uwsgi' | 'fastcgi';

/** The protocols a new app can be deployed with. */
export const PROTOCOLS: readonly Protocol[] = ['http', 'uwsgi', 'fastcgi'];

/** How Nginx reaches tsgi for each protocol: the upstream's name and the pass directive. */
const SITES: Record<Protocol, { upstream: string; pass: string; words: string; name: string }> = {
  http: { upstream: 'tsgi_http', pass: 'proxy_pass', words: 'HTTP/1.1', name: 'HTTP' },
  uwsgi: {
    upstream: 'tsgi_uwsgi',
    pass: 'uwsgi_pass',
    words: 'the uwsgi protocol',
    name: 'uwsgi protocol',
  },
  fastcgi: { upstream: 'tsgi_fastcgi', pass: 'fastcgi_pass', words: 'FastCGI', name: 'FastCGI' },
};

/** The tsgi config file each protocol runs with, of `@tsgi/node`'s deploy files. */
export const CONFIG: Record<Protocol, string> = {
  http: 'tsgi.json',
  uwsgi: 'tsgi.ini',
  fastcgi: 'tsgi-fastcgi.ini',
};

/** The pass directive Nginx uses for `protocol` (`proxy_pass`, `uwsgi_pass`, `fastcgi_pass`). */
export function passDirective(protocol: Protocol): string {
  return SITES[protocol].pass;
}

/** Replaces `from` in `text` (a file of `@tsgi/node`), or throws when the file lost it. */
function replaceOnce(text: string, from: string | RegExp, to: string, file: string): string {
  if (typeof from === 'string' ? !text.includes(from) : !from.test(text)) {
    throw new Error(`${file} no longer contains ${String(from)}`);
  }
  return text.replace(from, to);
}

/**
 * `@tsgi/node`'s systemd unit for a new app: it runs the app's own `tsgi`
 * (`/srv/app/node_modules/.bin/tsgi`, installed by `npm ci` with the app) with
 * the protocol's config, and its comments name that protocol.
 */
export function serviceFor(unit: string, protocol: Protocol): string {
  const { pass, name } = SITES[protocol];
  let text = unit;
  text = replaceOnce(text, /behind Nginx's \w+_pass\./, `behind Nginx's ${pass}.`, 'tsgi.service');
  text = replaceOnce(
    text,
    /^Description=tsgi application server \([^,]+, behind Nginx\)$/m,
    `Description=tsgi application server (${name}, behind Nginx)`,
    'tsgi.service',
  );
  text = replaceOnce(
    text,
    /^ExecStart=\S*tsgi serve /m,
    'ExecStart=/srv/app/node_modules/.bin/tsgi serve ',
    'tsgi.service',
  );
  return replaceOnce(text, '/etc/tsgi/tsgi.ini', `/etc/tsgi/${CONFIG[protocol]}`, 'tsgi.service');
}

/**
 * One block of the `http {}` context (an `upstream`, `server` or `map`, with
 * the comment lines right above it), or a run of other lines.
 */
interface Chunk {
  lines: string[];
  /** The block's opening line, when the chunk is a block. */
  head?: string;
}

/** Splits `lines` into chunks: each four-space-indented block with its comment, and the rest. */
function chunks(lines: string[]): Chunk[] {
  const out: Chunk[] = [];
  let comment: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^ {4}#/.test(line)) {
      comment.push(line);
      continue;
    }
    if (/^ {4}\S.*\{$/.test(line)) {
      const end = lines.indexOf('    }', i);
      if (end < 0) throw new Error(`nginx.conf: no end to the block ${line.trim()}`);
      if (rest.length > 0) out.push({ lines: rest });
      rest = [];
      out.push({ lines: [...comment, ...lines.slice(i, end + 1)], head: line.trim() });
      comment = [];
      i = end;
      continue;
    }
    rest.push(...comment, line);
    comment = [];
  }
  rest.push(...comment);
  if (rest.length > 0) out.push({ lines: rest });
  return out;
}

/**
 * `@tsgi/node`'s `deploy/nginx.conf` (three sites) cut down to the one site
 * `protocol` needs, listening on port 80: its upstream and its `server {}`,
 * plus the WebSocket `map` for HTTP. Throws when the file no longer has the
 * blocks this relies on, so a change there fails the tests here.
 */
export function nginxFor(conf: string, protocol: Protocol): string {
  const { upstream, pass, words } = SITES[protocol];
  const lines = conf.split('\n');
  const start = lines.indexOf('user www-data;');
  if (start < 0) throw new Error('nginx.conf: no "user www-data;" line');
  const kept: string[] = [];
  let servers = 0;
  let upstreams = 0;
  for (const chunk of chunks(lines.slice(start))) {
    const head = chunk.head;
    const text = chunk.lines.join('\n');
    if (head === undefined) kept.push(...chunk.lines);
    else if (head.startsWith('upstream ')) {
      if (head === `upstream ${upstream} {`) {
        kept.push(...chunk.lines);
        upstreams++;
      }
    } else if (head === 'server {') {
      if (new RegExp(`\\b${upstream}\\b`).test(text)) {
        kept.push(...chunk.lines.map((l) => l.replace(/^( {8}listen )\d+;$/, '$180;')));
        servers++;
      }
    } else if (head.startsWith('map $http_upgrade ')) {
      if (protocol === 'http') kept.push(...chunk.lines);
    } else kept.push(...chunk.lines);
  }
  if (servers !== 1 || upstreams !== 1) {
    throw new Error(
      `nginx.conf: expected one server {} and one upstream for ${upstream}, found ${servers} and ${upstreams}`,
    );
  }
  const header = [
    `# Nginx in front of tsgi: /etc/nginx/nginx.conf, one site for this app (${protocol}).`,
    '#',
    `#   port 80 → tsgi over ${words} (${pass}), on the Unix socket in /run/tsgi`,
    `#             that deploy/tsgi.service runs tsgi on, with /etc/tsgi/${CONFIG[protocol]}.`,
    '# @tsgi/node keeps a file with all three sites (uwsgi_pass, proxy_pass, fastcgi_pass).',
    '',
  ];
  return [...header, ...kept]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(
      '# As for tsgi_http: below',
      '# Nginx, never tsgi, ends an idle upstream connection: below',
    )
    .replace('(10m in tsgi.ini)', `(10m in ${CONFIG[protocol]})`)
    .replace(/\n+\}\n*$/, '\n}\n');
}
