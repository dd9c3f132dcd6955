import type { Socket } from 'node:net';
import { unmapIPv4 } from '@tsgi/spec';
import { type ClientVariables, clientVariablesOf } from '../tls/client-certificate.js';

/** What the environ takes from the connection: the same for every request on it. */
export interface Peer {
  /** `REMOTE_ADDR`: the client's address (IPv4-mapped IPv6 unmapped), `''` on a Unix socket. */
  readonly address: string;
  /** `REMOTE_PORT`, `''` on a Unix socket. */
  readonly port: string;
  /** `tsgi.url_scheme` before any trusted proxy header: `https` on a TLS socket. */
  readonly scheme: 'http' | 'https';
  /** HTTPS with client certificates asked for: the `SSL_CLIENT_*` variables of the connection. */
  readonly extra: ClientVariables | undefined;
}

const peers = new WeakMap<Socket, Peer>();

/**
 * The peer of a connection, read once and kept for its later requests: a
 * socket's `remoteAddress` and `remotePort` are getters that cost several
 * property lookups each time, and a keep-alive connection asks on every request.
 */
export function peerOf(socket: Socket): Peer {
  let peer = peers.get(socket);
  if (peer === undefined) {
    const remote = socket.remoteAddress;
    peer = {
      address: remote === undefined ? '' : unmapIPv4(remote),
      port: remote === undefined ? '' : String(socket.remotePort ?? ''),
      scheme: (socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http',
      extra: clientVariablesOf(socket),
    };
    peers.set(socket, peer);
  }
  return peer;
}
