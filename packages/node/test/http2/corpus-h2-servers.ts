/**
 * The two servers the framing corpus runs against over HTTP/2, on one test
 * CA's certificate for localhost: tsgi (`serve()` over TLS, ALPN h2) with an
 * app that echoes what it saw, and bare `node:http2` with an app that reads
 * the body and answers 200. Both read the whole request body before they
 * answer, so a body the server refuses surfaces before the answer.
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { type Application, statusLine, validate } from '@tsgi/spec';
import { type ServeOptions, serve } from '../../src/index.js';
import { makePki, type TestPki } from '../tls/certs.ts';
import type { H2Target } from './conformance.ts';
import { listenBare } from './server.ts';

/** What the corpus app saw of a request, as it answers it (JSON). */
export interface Echo {
  method: string;
  uri: string;
  /** `REQUEST_URI`'s length: the driver keeps only the first 1,024 bytes of a body. */
  uriLength: number;
  path: string;
  query: string;
  host: string | null;
  /** The request's `x` field (`HTTP_X`), which the field cases send. */
  x: string | null;
  bodyBytes: number;
}

/** `REQUEST_URI` is echoed whole up to this length, then as its first characters. */
const ECHO_URI_MAX = 200;

/** Reads the whole body, then answers 200 with the `Echo` of the request. */
export const echoApp: Application = async (environ, startResponse) => {
  const body = await environ['tsgi.input'].read();
  const uri = environ.REQUEST_URI;
  const echo: Echo = {
    method: environ.REQUEST_METHOD,
    uri: uri.slice(0, ECHO_URI_MAX),
    uriLength: uri.length,
    path: environ.PATH_INFO.slice(0, ECHO_URI_MAX),
    query: environ.QUERY_STRING,
    host: (environ.HTTP_HOST as string | undefined) ?? null,
    x: (environ.HTTP_X as string | undefined) ?? null,
    bodyBytes: body.byteLength,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(echo));
  startResponse(statusLine(200), [
    ['Content-Type', 'application/json'],
    ['Content-Length', String(bytes.byteLength)],
  ]);
  return [bytes];
};

/** Both servers, sharing one PKI; `close()` stops both and removes the files. */
export interface CorpusTargets {
  tsgi: H2Target;
  bare: H2Target;
  close: () => Promise<void>;
}

/** Serves `app` with tsgi over TLS on 127.0.0.1, a kernel port, with `pki`'s server certificate. */
export async function startTsgi(
  pki: TestPki,
  app: Application,
  options: ServeOptions = {},
): Promise<H2Target> {
  const server = await serve(app, {
    port: 0,
    certfile: pki.path('server.pem'),
    keyfile: pki.path('server.key'),
    ...options,
  });
  return { port: server.address.port!, tls: true, close: () => server.close() };
}

/** Bare node:http2 over TLS on 127.0.0.1: reads the body, then answers 200 `ok`. */
export async function startBare(pki: TestPki): Promise<H2Target> {
  const server = http2.createSecureServer(
    {
      key: readFileSync(pki.path('server.key')),
      cert: readFileSync(pki.path('server.pem')),
      settings: { maxConcurrentStreams: 100 },
    },
    (req, res) => {
      req.on('error', () => {});
      res.on('error', () => {});
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    },
  );
  return listenBare(server, true);
}

/** tsgi (the echo app, wrapped in `validate()`) and bare node:http2, side by side. */
export async function startCorpusTargets(): Promise<CorpusTargets> {
  const pki = await makePki();
  await pki.issue('server', 'localhost');
  const tsgi = await startTsgi(pki, validate(echoApp));
  const bare = await startBare(pki);
  return {
    tsgi,
    bare,
    close: async () => {
      try {
        await Promise.all([tsgi.close(), bare.close()]);
      } finally {
        pki.remove();
      }
    },
  };
}
