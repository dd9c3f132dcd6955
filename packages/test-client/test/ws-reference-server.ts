/**
 * A bare `ws` server on `node:http` that runs a TSGI app's WebSocket side:
 * the reference the HTTP mode of `client.websocket()` is proven against. It
 * builds only what the WebSocket apps of the suite read (method, path, query,
 * headers, `tsgi.websocket`), answers `startResponse` with a plain HTTP/1.1
 * response, and hands an accepted socket to the app as a `WebSocketConnection`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type {
  Application,
  Environ,
  HeaderList,
  WebSocketAcceptOptions,
  WebSocketClose,
  WebSocketConnection,
  WebSocketMessage,
} from '@tsgi/spec';
import { offeredProtocols } from '@tsgi/spec';
import { type WebSocket, WebSocketServer } from 'ws';
import { MessageQueue } from '../src/websocket/message-queue.ts';

const closed = () => new Error('the WebSocket is closed');

/** `ws`'s socket as the contract's connection. */
function connection(socket: WebSocket): WebSocketConnection {
  const incoming = new MessageQueue(Number.POSITIVE_INFINITY);
  socket.on('message', (data, isBinary) => {
    const buffer = data as Buffer;
    void incoming.push(isBinary ? new Uint8Array(buffer) : buffer.toString('utf8'), closed);
  });
  const done = new Promise<WebSocketClose>((resolve) => {
    socket.on('close', (code, reason) => {
      incoming.end(closed);
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
  return {
    protocol: socket.protocol,
    closed: done,
    send: (data: WebSocketMessage) =>
      new Promise<void>((resolve, reject) =>
        socket.send(data, { binary: typeof data !== 'string' }, (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    async close(code = 1000, reason = '') {
      socket.close(code, reason);
      await done;
    },
    [Symbol.asyncIterator]: () => ({ next: () => incoming.take() }),
  };
}

/** The environ of an upgrade request, as far as the suite's apps read it. */
function environOf(request: IncomingMessage): Environ {
  const url = new URL(request.url ?? '/', 'http://x');
  const environ: Record<string, unknown> = {
    REQUEST_METHOD: request.method,
    SCRIPT_NAME: '',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
  };
  for (const [name, value] of Object.entries(request.headers)) {
    const key = `HTTP_${name.toUpperCase().replaceAll('-', '_')}`;
    environ[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return environ as Environ;
}

/** A live reference server for `app`: its URL and how to stop it. */
export interface ReferenceServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, a port the kernel picks, and runs `app` for every upgrade request. */
export async function serveWithWs(app: Application): Promise<ReferenceServer> {
  const chosen = new WeakMap<IncomingMessage, WebSocketAcceptOptions>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (_offered, request) => chosen.get(request)?.protocol || false,
  });
  wss.on('headers', (lines, request) => {
    for (const [name, value] of chosen.get(request)?.headers ?? []) lines.push(`${name}: ${value}`);
  });
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n');
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const environ = environOf(request);
    environ['tsgi.websocket'] = {
      protocols: offeredProtocols(request.headers['sec-websocket-protocol']) ?? [],
      accept: (options = {}) => {
        chosen.set(request, options);
        return new Promise<WebSocketConnection>((resolve) =>
          wss.handleUpgrade(request, socket, head, (ws) => resolve(connection(ws))),
        );
      },
    };
    let status = '';
    let headers: HeaderList = [];
    const answer = async () => {
      const body = await app(environ, (line, list) => {
        status = line;
        headers = list;
        return () => Promise.resolve();
      });
      if (status === '') return;
      const chunks: Uint8Array[] = [];
      for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
      const lines = [`HTTP/1.1 ${status}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
      socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), ...chunks]));
    };
    answer().catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
