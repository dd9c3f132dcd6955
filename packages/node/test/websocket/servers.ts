/**
 * The two WebSocket echo servers the suites compare, each on 127.0.0.1 with a
 * port the kernel picks: a bare `ws` server on `node:http` (the reference)
 * and `@tsgi/node`'s `serve()` running the TSGI echo application. Both echo
 * every text and binary message back as it came, which is what Autobahn's
 * fuzzing client expects of a server under test.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Application, type TsgiValidationError, validate } from '@tsgi/spec';
import { type ServerOptions, WebSocketServer } from 'ws';
import { type ServeOptions, serve } from '../../src/index.js';

/** A running echo server. */
export interface EchoServer {
  /** `ws://127.0.0.1:<port>/`. */
  readonly url: string;
  /** What went wrong on the server side (spec violations, error output); `''` when nothing. */
  problems(): string;
  /** Stops it, ending open connections. */
  close(): Promise<void>;
}

/** The largest message both servers take: `@tsgi/node`'s default `websocketMaxMessage`. */
export const ECHO_MAX_MESSAGE = 16 * 1024 * 1024;

/**
 * Starts the reference: `ws` 8 on `node:http`, nothing else between the
 * socket and the echo. `options` go to `WebSocketServer` (a test that proves
 * a check can fail turns one of ws's own checks off with them).
 */
export async function startWsReference(
  options: Pick<ServerOptions, 'skipUTF8Validation' | 'autoPong' | 'maxPayload'> = {},
): Promise<EchoServer> {
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n');
  });
  const wss = new WebSocketServer({ server, maxPayload: ECHO_MAX_MESSAGE, ...options });
  wss.on('connection', (socket) => {
    // Protocol errors from misbehaving clients are what the suites provoke; ws closes for them.
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    problems: () => '',
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The TSGI echo application: accepts every upgrade and sends each message back. */
export const echoApp: Application = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined) {
    startResponse('426 Upgrade Required', [['content-type', 'text/plain']]);
    return [new TextEncoder().encode('WebSocket only\n')];
  }
  const socket = await upgrade.accept({ protocol: upgrade.protocols[0] });
  (async () => {
    for await (const message of socket) await socket.send(message);
  })().catch(() => {
    // send() rejects once the peer has closed mid-echo, which the fault cases do on purpose.
  });
  return [];
};

/**
 * Starts `@tsgi/node`'s `serve()` with {@link echoApp} wrapped in `validate()`;
 * `options` go to `serve()` (`websocketMaxMessage`, …). Spec violations and
 * the server's error output show in `problems()`.
 */
export async function startTsgiEcho(options: ServeOptions = {}): Promise<EchoServer> {
  const violations: TsgiValidationError[] = [];
  let errors = '';
  const server = await serve(
    validate(echoApp, { onViolation: (violation) => violations.push(violation) }),
    {
      host: '127.0.0.1',
      port: 0,
      errors: {
        write: (text: string) => {
          errors += text;
          return true;
        },
      },
      ...options,
    },
  );
  return {
    url: `ws://127.0.0.1:${server.address.port}/`,
    problems: () => [...violations.map((v) => v.message), errors].filter(Boolean).join('\n'),
    close: () => server.close({ timeout: 200 }),
  };
}
