/**
 * Bare `node:http2` servers for the frame cases: a tiny app, over TLS with a
 * certificate from a test CA (`makePki`), or cleartext with prior knowledge.
 */
import { readFile } from 'node:fs/promises';
import http2 from 'node:http2';
import { makePki } from '../tls/certs.ts';
import type { H2Target } from './conformance.ts';

/** The bytes `/large` answers with: more than the default 65,535-byte windows. */
export const LARGE_BODY = 100_000;

/** `/` says hello, `/echo` echoes the body, `/large` is big, `/hold` never ends. */
function app(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void {
  req.on('error', () => {});
  res.on('error', () => {});
  if (req.url === '/echo') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.concat(chunks));
    });
  } else if (req.url === '/large') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.alloc(LARGE_BODY, 'x'));
  } else if (req.url === '/hold') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('held');
  } else {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  }
}

/** A certificate for localhost from a fresh test CA (`makePki`), read into memory; its files removed. */
async function certificate(): Promise<{ key: Buffer; cert: Buffer }> {
  const pki = await makePki();
  try {
    await pki.issue('server', 'localhost');
    return {
      key: await readFile(pki.path('server.key')),
      cert: await readFile(pki.path('server.pem')),
    };
  } finally {
    pki.remove();
  }
}

/** Starts bare node:http2 on 127.0.0.1, port 0, with 100 concurrent streams. */
export async function startNodeH2(tls: boolean): Promise<H2Target> {
  const settings = { maxConcurrentStreams: 100 };
  const server = tls
    ? http2.createSecureServer({ ...(await certificate()), settings }, app)
    : http2.createServer({ settings }, app);
  return listenBare(server, tls);
}

/**
 * Listens with a bare node:http2 `server` on 127.0.0.1, a kernel port; its
 * `close()` destroys the sessions still open, then closes the server.
 */
export async function listenBare(
  server: http2.Http2Server | http2.Http2SecureServer,
  tls: boolean,
): Promise<H2Target> {
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.on('error', () => {});
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    tls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const session of sessions) session.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
