/**
 * Bad response headers an app may send, as data: every kind an HTTP/2
 * response must not carry as given (connection-specific fields, upper-case
 * names, characters outside a token or a field value, pseudo-header names,
 * TE, a Content-Length the body does not match) and what tsgi does with
 * each over HTTP/2. `app-headers-h2.test.ts`
 * sends each from an app and checks its stream still completes.
 */
import type { Application } from '@tsgi/spec';

/** What tsgi answers when the app sends a kind's headers. */
export type AppHeaderOutcome =
  /** The response goes out, the bad field dropped or its name lower-cased. */
  | 'sent'
  /** tsgi refuses the header list before anything is sent: a 500 instead. */
  | 'refused';

/** One kind of bad response header. */
export interface AppHeaderKind {
  /** What is wrong, in a few words; unique. */
  name: string;
  /** The fields the app adds after `Content-Type`. */
  headers: [string, string][];
  outcome: AppHeaderOutcome;
  /** A field name that must not be in the HTTP/2 response as sent. */
  absent?: string;
}

/** Every kind, each sent by the app on a stream of its own. */
export const APP_HEADER_KINDS: AppHeaderKind[] = [
  { name: 'connection', headers: [['Connection', 'close']], outcome: 'sent', absent: 'connection' },
  {
    name: 'keep-alive',
    headers: [['Keep-Alive', 'timeout=5']],
    outcome: 'sent',
    absent: 'keep-alive',
  },
  {
    name: 'proxy-connection',
    headers: [['Proxy-Connection', 'close']],
    outcome: 'sent',
    absent: 'proxy-connection',
  },
  {
    name: 'transfer-encoding',
    headers: [['Transfer-Encoding', 'chunked']],
    outcome: 'sent',
    absent: 'transfer-encoding',
  },
  { name: 'upgrade', headers: [['Upgrade', 'h2c']], outcome: 'sent', absent: 'upgrade' },
  { name: 'trailer', headers: [['Trailer', 'x-sum']], outcome: 'sent', absent: 'trailer' },
  { name: 'te other than trailers', headers: [['TE', 'gzip']], outcome: 'sent', absent: 'te' },
  { name: 'te: trailers', headers: [['TE', 'trailers']], outcome: 'sent', absent: 'te' },
  { name: 'upper-case name', headers: [['X-UPPER', 'a']], outcome: 'sent', absent: 'X-UPPER' },
  { name: 'space in a name', headers: [['x bad', 'a']], outcome: 'refused', absent: 'x bad' },
  { name: 'colon in a name', headers: [['x:colon', 'a']], outcome: 'refused', absent: 'x:colon' },
  { name: 'non-ASCII name', headers: [['x-\u00e9', 'a']], outcome: 'refused' },
  { name: 'empty name', headers: [['', 'a']], outcome: 'refused' },
  { name: 'pseudo-header :status', headers: [[':status', '201']], outcome: 'refused' },
  { name: 'pseudo-header :path', headers: [[':path', '/x']], outcome: 'refused', absent: ':path' },
  { name: 'unknown pseudo-header', headers: [[':foo', 'bar']], outcome: 'refused', absent: ':foo' },
  { name: 'CR LF in a value', headers: [['x-split', 'a\r\nx-injected: b']], outcome: 'refused' },
  { name: 'NUL in a value', headers: [['x-nul', 'a\u0000b']], outcome: 'refused' },
  { name: 'value above Latin-1', headers: [['x-wide', '\u20ac']], outcome: 'refused' },
  { name: 'Latin-1 value', headers: [['x-latin', 'caf\u00e9']], outcome: 'sent' },
  {
    name: 'two different Content-Length',
    headers: [
      ['Content-Length', '2'],
      ['Content-Length', '3'],
    ],
    outcome: 'refused',
  },
  {
    name: 'Content-Length above the body',
    headers: [['Content-Length', '10']],
    outcome: 'refused',
  },
  { name: 'Content-Length below the body', headers: [['Content-Length', '1']], outcome: 'refused' },
  { name: 'invalid Content-Length', headers: [['Content-Length', 'ten']], outcome: 'refused' },
];

/** `/bad/<index>` answers `ok` with the kind's headers; anything else answers `ok` plainly. */
export const badHeadersApp: Application = (environ, startResponse) => {
  const match = /^\/bad\/(\d+)$/.exec(environ.PATH_INFO);
  const kind = match === null ? undefined : APP_HEADER_KINDS[Number(match[1])];
  startResponse('200 OK', [['Content-Type', 'text/plain'], ...(kind?.headers ?? [])]);
  return [new TextEncoder().encode('ok')];
};
