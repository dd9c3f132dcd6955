/**
 * Starters for the two servers of the outside-client tests, both serving the
 * routes of `outside-scenario.ts` on 127.0.0.1 with a port the kernel picks:
 * a bare `ws` server on `node:http` (the reference) and a TSGI application on
 * `@tsgi/node`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Application, type TsgiValidationError, validate } from '@tsgi/spec';
import { type WebSocket, WebSocketServer } from 'ws';
import { serve } from '../../src/index.js';
import { DENIED_BODY, pickProtocol, plainAnswer, SERVER_CLOSE } from './outside-scenario.js';

/** A running scenario server. */
export interface OutsideServer {
  /** `reference` (bare `ws`) or `tsgi` (`@tsgi/node`). */
  readonly name: 'reference' | 'tsgi';
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `127.0.0.1:<port>`, for `ws://` URLs and raw connections. */
  readonly host: string;
  readonly port: number;
  /** What went wrong on the server side: error output, spec violations. */
  problems(): string;
  /** The SPEC.md rules the TSGI application broke, as `validate()` reported them (none for the reference). */
  violations(): string[];
  /** Stops it, ending the open sockets. */
  close(): Promise<void>;
}

/** Options both servers take. */
export interface OutsideOptions {
  /** The largest message in bytes (`ws` `maxPayload`, `@tsgi/node` `websocketMaxMessage`). */
  maxMessage?: number;
  /** Called with each SPEC violation of the TSGI application as it happens (it is kept either way). */
  onViolation?: (message: string) => void;
}

const encoder = new TextEncoder();

/** The routes that accept the upgrade (`/deny` is a WebSocket route that refuses it). */
const ACCEPTING_ROUTES: readonly string[] = ['/echo', '/protocols', '/close-4001'];

/** Keeps what the server writes to its error stream. */
function memoryStream(): { write(text: string): boolean; text(): string } {
  let buffer = '';
  return {
    write(text: string) {
      buffer += text;
      return true;
    },
    text: () => buffer,
  };
}

function routeOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://scenario').pathname;
}

/** A whole HTTP/1.1 response written on a socket that was not upgraded, then closed. */
function refuseRaw(socket: Duplex, status: string, type: string, body: string): void {
  const bytes = Buffer.from(body);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.byteLength}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** Runs the scenario route `route` on an accepted reference socket. */
function runReference(route: string, socket: WebSocket, request: IncomingMessage): void {
  if (route === '/close-4001') {
    socket.close(SERVER_CLOSE.code, SERVER_CLOSE.reason);
    return;
  }
  if (route === '/protocols') {
    const offered = request.headers['sec-websocket-protocol'];
    const list = offered === undefined ? [] : offered.split(',').map((p) => p.trim());
    socket.send(JSON.stringify({ offered: list, origin: request.headers.origin ?? null }));
  }
  socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
}

/** Starts the reference: `ws` on `node:http`, nothing else between the socket and the routes. */
export async function startReferenceServer(options: OutsideOptions = {}): Promise<OutsideServer> {
  const errors: string[] = [];
  const http = createServer((request, response) => {
    const answer = plainAnswer(routeOf(request.url));
    response.writeHead(Number.parseInt(answer.status, 10), { 'Content-Type': answer.type });
    response.end(answer.body);
  });
  const wss = new WebSocketServer({
    noServer: true,
    ...(options.maxMessage === undefined ? {} : { maxPayload: options.maxMessage }),
    handleProtocols: (offered, request) =>
      routeOf(request.url) === '/protocols' ? (pickProtocol([...offered]) ?? false) : false,
  });
  http.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const route = routeOf(request.url);
    if (route === '/deny') return refuseRaw(socket, '403 Forbidden', 'text/plain', DENIED_BODY);
    if (!ACCEPTING_ROUTES.includes(route)) {
      return refuseRaw(socket, '404 Not Found', 'text/plain', 'no such route\n');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      // A peer's protocol error closes the socket with its code; the error itself is expected.
      ws.on('error', () => {});
      runReference(route, ws, request);
    });
  });
  http.on('clientError', (error) => errors.push(String(error)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    name: 'reference',
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    problems: () => errors.join('\n'),
    violations: () => [],
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Echoes every message of `socket` until the peer closes; a send after the close is dropped. */
function pump(socket: {
  send(message: string | Uint8Array): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<string | Uint8Array>;
}): void {
  void (async () => {
    for await (const message of socket) await socket.send(message);
  })().catch(() => {});
}

/** A whole response from the application: status, content type, body. */
function respond(
  startResponse: Parameters<Application>[1],
  status: string,
  type: string,
  text: string,
): Uint8Array[] {
  const body = encoder.encode(text);
  startResponse(status, [
    ['Content-Type', type],
    ['Content-Length', String(body.byteLength)],
  ]);
  return [body];
}

/** The scenario as a TSGI application. */
export const scenarioApp: Application = async (environ, startResponse) => {
  const route = environ.PATH_INFO;
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined || !ACCEPTING_ROUTES.includes(route)) {
    if (upgrade !== undefined && route === '/deny') {
      return respond(startResponse, '403 Forbidden', 'text/plain', DENIED_BODY);
    }
    const answer = plainAnswer(upgrade === undefined ? route : '/no-such-route');
    return respond(startResponse, answer.status, answer.type, answer.body);
  }
  if (route === '/close-4001') {
    const socket = await upgrade.accept();
    void socket.close(SERVER_CLOSE.code, SERVER_CLOSE.reason);
    return [];
  }
  if (route === '/protocols') {
    const protocol = pickProtocol(upgrade.protocols);
    const socket = await upgrade.accept(protocol === undefined ? {} : { protocol });
    await socket.send(
      JSON.stringify({ offered: upgrade.protocols, origin: environ.HTTP_ORIGIN ?? null }),
    );
    pump(socket);
    return [];
  }
  pump(await upgrade.accept());
  return [];
};

/** Starts the scenario application on `@tsgi/node`, wrapped in `validate()`. */
export async function startTsgiServer(options: OutsideOptions = {}): Promise<OutsideServer> {
  const violations: TsgiValidationError[] = [];
  const errors = memoryStream();
  const server = await serve(
    validate(scenarioApp, {
      onViolation: (error) => {
        violations.push(error);
        options.onViolation?.(error.message);
      },
    }),
    {
      host: '127.0.0.1',
      port: 0,
      errors,
      ...(options.maxMessage === undefined ? {} : { websocketMaxMessage: options.maxMessage }),
    },
  );
  const port = server.address.port ?? 0;
  return {
    name: 'tsgi',
    url: server.address.url,
    host: `127.0.0.1:${port}`,
    port,
    problems: () => [errors.text(), ...violations.map((v) => v.message)].join('\n'),
    violations: () => violations.map((v) => v.message),
    close: () => server.close({ timeout: 1000 }),
  };
}

/** Starts both, the reference first. */
export async function startBoth(options: OutsideOptions = {}): Promise<OutsideServer[]> {
  return [await startReferenceServer(options), await startTsgiServer(options)];
}
