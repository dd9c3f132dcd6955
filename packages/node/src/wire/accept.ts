import type { Server, Socket } from 'node:net';
import { defaults } from '../options/defaults.js';
import { RawSocket } from './raw-socket.js';
import { isStreamHandle, type StreamHandle, streamBinding } from './stream-binding.js';
import type { WireSocket } from './wire-socket.js';

/**
 * Sends every connection `server` accepts to `onSocket`: as a `RawSocket`
 * when `sockets` is `'raw'` (the default) and this Node allows it, else as
 * the `net.Socket` of `'connection'`. Throws a `TypeError` naming the option
 * when `sockets` is neither `'raw'` nor `'node'`.
 *
 * @example
 * acceptConnections(server, options.sockets, (socket) => new UwsgiConnection(socket, …));
 */
export function acceptConnections(
  server: Server,
  sockets: unknown,
  onSocket: (socket: WireSocket) => void,
): void {
  const mode = sockets ?? defaults.sockets;
  if (mode !== 'raw' && mode !== 'node') {
    throw new TypeError(`@tsgi/node: option sockets must be 'raw' or 'node', got ${String(mode)}`);
  }
  server.on('connection', (socket: Socket) => onSocket(socket));
  if (mode === 'raw') acceptRawSockets(server, onSocket);
}

/** The parts of a listening `net.Server` that accepting takes over. */
interface ServerInternals {
  _handle: { onconnection?: (error: number, client: unknown) => void } | null;
  _connections: number;
  _emitCloseIfDrained(): void;
}

function hasInternals(server: object): server is ServerInternals {
  const internals = server as Partial<ServerInternals>;
  return (
    typeof internals._handle?.onconnection === 'function' &&
    typeof internals._connections === 'number' &&
    typeof internals._emitCloseIfDrained === 'function'
  );
}

/**
 * Makes `server` hand each connection it accepts to `onSocket` as a
 * `RawSocket` instead of making a `net.Socket` and emitting `'connection'`.
 * Each time the server starts listening (on TCP, a Unix socket, an inherited
 * fd or a cluster worker's shared handle) it replaces the listening handle's
 * `onconnection`, the one function `net.Server` gives libuv. The server's
 * connection count is kept as before, so `close(callback)` still waits for
 * the last connection, `getConnections` counts them and `maxConnections`
 * refuses past it. Where this Node lacks the binding or the server lacks
 * those internals, nothing is replaced and `'connection'` keeps coming with
 * `net.Socket`s: the caller keeps its `'connection'` listener for that case.
 * Returns whether raw sockets will be used.
 *
 * @example
 * server.on('connection', serve); // net.Socket, the fallback
 * acceptRawSockets(server, serve); // RawSocket, where available
 */
export function acceptRawSockets(server: Server, onSocket: (socket: RawSocket) => void): boolean {
  const binding = streamBinding();
  if (binding === undefined) return false;
  server.prependListener('listening', () => {
    if (!hasInternals(server)) return;
    const handle = server._handle!;
    const fallback = handle.onconnection!;
    // Every client handle of one listening handle shares a prototype: check its shape once.
    let checked: object | undefined;
    const drivable = (client: unknown): client is StreamHandle => {
      if (typeof client !== 'object' || client === null) return false;
      const proto = Object.getPrototypeOf(client) as object;
      if (proto === checked) return true;
      if (!isStreamHandle(client)) return false;
      checked = proto;
      return true;
    };
    const closed = () => {
      server._connections--;
      server._emitCloseIfDrained();
    };
    handle.onconnection = function onconnection(error, client) {
      if (error !== 0 || !drivable(client)) {
        fallback.call(this, error, client);
        return;
      }
      const limit = server.maxConnections;
      if (limit !== undefined && limit !== null && server._connections >= limit) {
        client.close();
        return;
      }
      server._connections++;
      onSocket(new RawSocket(client, binding, closed));
    };
  });
  return true;
}
