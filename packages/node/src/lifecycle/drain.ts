import { webSocketClosedHere } from '../contracts/peer-close.js';
import type { WireSocket } from '../wire/wire-socket.js';
import type { Transport } from './transport.js';

/** How the connections open when a drain began were closed, and how long it took. */
export interface DrainReport {
  /** Connections open when the drain began. */
  connections: number;
  /** Closed by the server after a response that carried `Connection: close` (or ended a uwsgi exchange). */
  answered: number;
  /** Closed by the server because they sat idle past the keep-alive (or packet) timeout. */
  idle: number;
  /** Closed by the client first (Nginx or a browser dropping a kept-alive connection, a WebSocket's peer closing it). */
  peer: number;
  /** Destroyed when the drain timeout ran out, a request possibly still on them. */
  cut: number;
  /** Milliseconds from the start of the drain until the last connection closed. */
  ms: number;
}

type Ending = 'answered' | 'idle' | 'peer' | 'cut';

/**
 * The zero-loss stop of a listener (reload, recycling, stop): stop accepting;
 * every response from now on carries `Connection: close`; a connection is
 * closed only after such a response, once it sat idle past the keep-alive
 * timeout that its responses advertised (node:http closes it then, a second
 * after the advertised time), or when its client closes it. An idle
 * connection is never closed early, since a request may already be on its
 * way (Nginx sends its next request on a cached connection at any moment,
 * and would answer a POST that meets a closed connection with a 502). What is
 * left after `timeoutMs` is destroyed. Resolves with how each connection ended.
 */
export function drain(
  transport: Transport,
  timeoutMs: number,
  reason = 'drain',
): Promise<DrainReport> {
  const started = performance.now();
  const endings = new Map<WireSocket, Ending | undefined>();
  for (const socket of transport.sockets()) {
    if (socket.destroyed) continue;
    endings.set(socket, undefined);
    socket.once('timeout', () => endings.set(socket, endings.get(socket) ?? 'idle'));
    // First in line: node:http answers the client's FIN with its own.
    socket.prependOnceListener('end', () => {
      // The client's FIN before ours: it closed a connection it kept alive.
      if (!socket.writableEnded) endings.set(socket, endings.get(socket) ?? 'peer');
    });
  }
  transport.markClosing(reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      for (const [socket, ending] of endings) {
        if (!socket.destroyed) endings.set(socket, ending ?? 'cut');
      }
      transport.destroyAll();
    }, timeoutMs);
    timer.unref();
    transport.stopAccepting((error) => {
      clearTimeout(timer);
      if (
        error !== undefined &&
        (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING'
      ) {
        reject(error);
        return;
      }
      const report: DrainReport = {
        connections: endings.size,
        answered: 0,
        idle: 0,
        peer: 0,
        cut: 0,
        ms: Math.round(performance.now() - started),
      };
      for (const [socket, ending] of endings) {
        const peerClosedWebSocket = webSocketClosedHere.get(socket) === false;
        report[ending ?? (peerClosedWebSocket ? 'peer' : 'answered')]++;
      }
      resolve(report);
    });
  });
}

/** The report as one log line: `drained 3 connections in 1.2 s: 2 closed after …`. */
export function describeDrain(report: DrainReport): string {
  const parts = [
    `${report.answered} closed after a response with Connection: close`,
    `${report.idle} idle past the keep-alive timeout`,
    `${report.peer} closed by the client`,
    `${report.cut} cut at the graceful timeout`,
  ];
  return `drained ${report.connections} connections in ${(report.ms / 1000).toFixed(1)} s: ${parts.join(', ')}`;
}
