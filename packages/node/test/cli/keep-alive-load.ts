/**
 * A keep-alive HTTP/1.1 load client over raw sockets, for the zero-loss tests:
 * each lane keeps one connection and sends POSTs back to back on it, as wrk
 * and Nginx's upstream keep-alive do; it opens a new connection only after a
 * response that said `Connection: close` (or after the server closed an idle
 * one). Any request that gets no complete 2xx response is a failure, with
 * what happened to it.
 */
import { connect, type Socket } from 'node:net';
import { bound } from '../../../../tools/test-support/index.ts';
import type { Target } from './load.js';

/** What a keep-alive load run saw. */
export interface KeepAliveResult {
  /** Complete 2xx responses. */
  ok: number;
  /** Requests that failed: a non-2xx status, or the connection ended or broke before their response. */
  failed: string[];
  /** Responses that carried `Connection: close`. */
  closes: number;
}

/** Options of {@link keepAliveLoad}. */
export interface KeepAliveOptions {
  /** Connections kept open at once. */
  lanes: number;
  /** Stop sending once this many milliseconds have passed (unscaled: scaled by `bound()`). */
  ms: number;
  /** And at most this many requests in all. */
  maxRequests: number;
  /** Stop sending as soon as this returns true. */
  stopWhen?: () => boolean;
  /** Request path (default `/count`). */
  path?: string;
  /** Runs once, after this many responses (default 0: never). */
  at?: number;
  during?: () => void;
}

const BODY = 'item=1&note=zero-loss';
/** How long one request may go without its whole response before it counts as failed. */
const REQUEST_TIMEOUT_MS = bound(15_000);

function open(target: Target): Socket {
  if (target.startsWith('unix:')) return connect({ path: target.slice(5) });
  const url = new URL(target);
  return connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) });
}

/** One request on `socket`: resolves with its status and whether the server will close. */
function exchange(
  socket: Socket,
  path: string,
): Promise<{ status: number; close: boolean } | { error: string }> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const finish = (result: { status: number; close: boolean } | { error: string }) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = data.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (!Number.isFinite(length)) {
        finish({ error: `no Content-Length in ${head}` });
        return;
      }
      if (data.byteLength < end + 4 + length) return;
      finish({ status, close: /\r\nconnection: *close/i.test(head) });
    };
    let lastError = '';
    const onError = (error: Error) => {
      lastError = error.message;
    };
    const onClose = () => finish({ error: lastError || 'connection closed before the response' });
    const timer = setTimeout(() => finish({ error: 'no response in time' }), REQUEST_TIMEOUT_MS);
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: zero-loss\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
    );
  });
}

/**
 * Runs `lanes` keep-alive connections against `target` for `ms` (and at most
 * `maxRequests` requests), each sending its next POST as soon as the last
 * response is complete. Bounded in time and count; every socket is closed at the end.
 */
export async function keepAliveLoad(
  target: Target,
  options: KeepAliveOptions,
): Promise<KeepAliveResult> {
  const result: KeepAliveResult = { ok: 0, failed: [], closes: 0 };
  const deadline = Date.now() + bound(options.ms);
  let sent = 0;
  const lane = async () => {
    let socket: Socket | undefined;
    while (Date.now() < deadline && sent < options.maxRequests && options.stopWhen?.() !== true) {
      if (socket === undefined || socket.destroyed || socket.readableEnded) {
        socket?.destroy();
        socket = open(target);
        socket.on('error', () => {});
      }
      sent++;
      const outcome = await exchange(socket, options.path ?? '/count');
      if ('error' in outcome) {
        result.failed.push(outcome.error);
        socket.destroy();
        continue;
      }
      if (outcome.status >= 200 && outcome.status < 300) {
        result.ok++;
        if (result.ok === options.at) options.during?.();
      } else {
        result.failed.push(`status ${outcome.status}`);
      }
      if (outcome.close) {
        result.closes++;
        socket.end();
        socket = undefined;
      }
    }
    socket?.destroy();
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return result;
}
