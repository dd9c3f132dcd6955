import {
  constants,
  createServer,
  type Http2Server,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Socket } from 'node:net';
import type { Application } from '@tsgi/spec';
import type { Http2Handoff } from '../contracts/http2-handoff.js';
import { markClosing } from '../lifecycle/closing.js';
import { RequestListeners } from '../lifecycle/request-events.js';
import { defaults } from '../options/defaults.js';
import { type ServerOptions, serverNumber } from '../options/options.js';
import { createServerContext } from '../options/server-context.js';
import type { TlsOptions } from '../options/tls.js';
import { serveStream } from './serve-stream.js';
import { Http2Sessions } from './sessions.js';

/** The HTTP/2 side of an HTTP listener, fed the connections that speak HTTP/2. */
export interface Http2Side extends Http2Handoff {
  readonly sessions: Http2Sessions;
}

/**
 * A `node:http2` server that never listens: the server in front hands it
 * each connection that speaks HTTP/2, a TLS socket whose ALPN chose `h2` or
 * a cleartext one that opened with the preface (`prior-knowledge.ts`).
 * `emit('connection')` makes a session over it as `http2.createSecureServer`
 * (or `http2.createServer`) would. Each
 * stream is one request (`serve-stream.ts`). Its SETTINGS: at most
 * `http2MaxConcurrentStreams` streams at a time, a header list of at most
 * `maxHeaderSize` bytes.
 */
export function http2Side(app: Application, options: ServerOptions & TlsOptions): Http2Side {
  const context = createServerContext(app, options);
  const listeners = new RequestListeners();
  const maxConcurrentStreams =
    options.http2MaxConcurrentStreams ?? defaults.http2MaxConcurrentStreams;
  if (!Number.isInteger(maxConcurrentStreams) || maxConcurrentStreams < 1) {
    throw new TypeError(
      `@tsgi/node: option http2MaxConcurrentStreams must be a whole number >= 1, got ${String(maxConcurrentStreams)}`,
    );
  }
  const maxHeaderSize = serverNumber('maxHeaderSize', options.maxHeaderSize);
  const requestTimeout = serverNumber('requestTimeout', options.requestTimeout);
  const server: Http2Server = createServer({
    settings: { maxConcurrentStreams, maxHeaderListSize: maxHeaderSize },
    // Pseudo-header fields and a few over the limit still reach the environ builder, which answers 431.
    maxHeaderListPairs: context.options.maxHeadersCount + 8,
  });
  const sessions = new Http2Sessions(serverNumber('keepAliveTimeout', options.keepAliveTimeout));
  let arriving: Socket | undefined;
  server.on('session', (session: ServerHttp2Session) => {
    if (arriving !== undefined) sessions.add(session, arriving);
  });
  server.on(
    'stream',
    (stream: ServerHttp2Stream, _headers: unknown, _flags: number, rawHeaders: string[]) => {
      const socket = sessions.streamOpened(stream);
      if (socket === undefined) {
        stream.on('error', ignore);
        stream.close(constants.NGHTTP2_REFUSED_STREAM);
        return;
      }
      serveStream(context, listeners, stream, socket, rawHeaders, requestTimeout);
    },
  );
  server.on('sessionError', () => {});
  return {
    accept(socket) {
      arriving = socket;
      try {
        server.emit('connection', socket);
      } finally {
        arriving = undefined;
      }
    },
    onRequest: (listener) => listeners.add(listener),
    markClosing(reason) {
      markClosing(context, reason);
      sessions.goAway();
    },
    sessions,
  };
}

function ignore(): void {}
