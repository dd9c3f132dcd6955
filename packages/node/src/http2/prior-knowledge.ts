import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'node:net';
import type { Http2Handoff } from '../contracts/http2-handoff.js';
import { frontTransport } from '../lifecycle/front-transport.js';
import type { Transport } from '../lifecycle/transport.js';

/** The connection preface every HTTP/2 client sends first (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * Whether `bytes`, the first a client sent, open the HTTP/2 preface:
 * `true` when they hold it whole, `false` as soon as one byte differs,
 * `undefined` while they are a shorter prefix of it.
 */
export function opensPreface(bytes: Uint8Array): boolean | undefined {
  const n = Math.min(bytes.length, PREFACE.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== PREFACE[i]) return false;
  return bytes.length >= PREFACE.length ? true : undefined;
}

/**
 * Cleartext HTTP/2 with prior knowledge (`httpProtocols` with `'h2c'`, no
 * TLS): a `net.Server` in front reads each connection's first bytes. One
 * that opens with the HTTP/2 preface goes to the HTTP/2 side `h2` (which
 * reads the bytes back from the socket's buffer); any other goes to the
 * HTTP/1.1 server of `http` when `h1`, or is closed. A client that sends
 * nothing for `sniffTimeout` ms (0: no limit) is closed, as a head that
 * never comes would be.
 */
export function priorKnowledgeTransport(
  http: Transport,
  h2: Http2Handoff,
  h1: boolean,
  sniffTimeout: number,
): Transport {
  const httpServer = http.server as HttpServer;
  const front = new Server({ noDelay: true });
  front.on('connection', (socket: Socket) => {
    let seen: Buffer | undefined;
    const decide = (speaksH2: boolean): void => {
      socket.removeListener('data', onData);
      socket.setTimeout(0);
      socket.removeListener('timeout', onTimeout);
      socket.removeListener('error', ignore);
      socket.pause();
      if (seen !== undefined) socket.unshift(seen);
      if (speaksH2) {
        // node:http2 reads what is buffered on the socket when its session starts.
        h2.accept(socket);
      } else if (h1) {
        httpServer.emit('connection', socket);
        socket.resume();
      } else {
        socket.destroy();
      }
    };
    const onData = (chunk: Buffer): void => {
      seen = seen === undefined ? chunk : Buffer.concat([seen, chunk]);
      const verdict = opensPreface(seen);
      if (verdict !== undefined) decide(verdict);
    };
    const onTimeout = (): void => {
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', ignore);
    if (sniffTimeout > 0) {
      socket.setTimeout(sniffTimeout);
      socket.on('timeout', onTimeout);
    }
  });
  return frontTransport(http, front, h2);
}

function ignore(): void {}
