import type { Application, Environ, ResponseBody } from '@tsgi/spec';
import { PAGE_HTML, PAGE_SCRIPT } from './h2-page.ts';
import { LARGE_BODY } from './server.ts';

const encoder = new TextEncoder();

/** What the h2 app saw of the request, as `/seen` answers it. */
export interface Seen {
  protocol: string;
  host: string | undefined;
  scheme: string;
  cookie: string | undefined;
  method: string;
  path: string;
  query: string;
}

/** What `/peer` answers: the protocol, the client's port (one per connection) and the query. */
export interface Peer {
  protocol: string;
  port: string;
  query: string;
}

/** The bodies whose `close()` ran, by request path: a test reads it. */
export const closedBodies: string[] = [];
/** Requests the app started: a test reads it. */
export const started = { count: 0 };

function text(
  startResponse: Parameters<Application>[1],
  body: string,
  extra: [string, string][] = [],
  type = 'text/plain',
) {
  const bytes = encoder.encode(body);
  startResponse('200 OK', [
    ['Content-Type', type],
    ['Content-Length', String(bytes.byteLength)],
    ...extra,
  ]);
  return [bytes];
}

/** Streams `tsgi.input` back as it reads it; its `close()` is recorded under the path. */
function echo(environ: Environ, startResponse: Parameters<Application>[1]): ResponseBody {
  startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
  const input = environ['tsgi.input'];
  return {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of input) yield chunk;
    },
    close() {
      closedBodies.push(environ.PATH_INFO);
    },
  } as ResponseBody;
}

/**
 * The app under the HTTP/2 tests: `/` says hello, `/seen` answers what it
 * saw as JSON, `/echo` streams the body back, `/size` reads it whole and answers its size, `/large` is `LARGE_BODY`
 * bytes, `/hold` sends a chunk and never ends, `/hop` sends hop-by-hop
 * headers (against SPEC.md [sr.6], which the server must survive), `/peer`
 * answers a `Peer` as JSON, `/page` and `/page.js` are the browser's page
 * (h2-page.ts).
 */
export const h2App: Application = (environ, startResponse) => {
  started.count++;
  const path = environ.PATH_INFO;
  if (path === '/seen') {
    const seen: Seen = {
      protocol: environ.SERVER_PROTOCOL,
      host: environ.HTTP_HOST as string | undefined,
      scheme: environ['tsgi.url_scheme'],
      cookie: environ.HTTP_COOKIE as string | undefined,
      method: environ.REQUEST_METHOD,
      path,
      query: environ.QUERY_STRING,
    };
    return text(startResponse, JSON.stringify(seen));
  }
  if (path === '/peer') {
    const peer: Peer = {
      protocol: environ.SERVER_PROTOCOL,
      port: environ.REMOTE_PORT,
      query: environ.QUERY_STRING,
    };
    return text(startResponse, JSON.stringify(peer));
  }
  if (path === '/page') return text(startResponse, PAGE_HTML, [], 'text/html; charset=utf-8');
  if (path === '/page.js') return text(startResponse, PAGE_SCRIPT, [], 'text/javascript');
  if (path === '/echo' || path === '/echo-reset') return echo(environ, startResponse);
  if (path === '/size') {
    return environ['tsgi.input']
      .read()
      .then((body) => text(startResponse, String(body.byteLength)));
  }
  if (path === '/large') {
    startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
    return [new Uint8Array(LARGE_BODY).fill(120)];
  }
  if (path === '/hold') {
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return {
      async *[Symbol.asyncIterator]() {
        yield encoder.encode('held');
        await new Promise(() => {});
      },
      close() {
        closedBodies.push(path);
      },
    } as ResponseBody;
  }
  if (path === '/hop') {
    return text(startResponse, 'hop', [
      ['Connection', 'close'],
      ['Keep-Alive', 'timeout=5'],
      ['Transfer-Encoding', 'chunked'],
      ['Upgrade', 'h2c'],
      ['Proxy-Connection', 'close'],
      ['X-Kept', 'yes'],
    ]);
  }
  return text(startResponse, 'hello');
};
