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
