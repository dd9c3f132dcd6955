/** The client a request came from: `REMOTE_ADDR` and `REMOTE_PORT` [env.16]. */
export interface Peer {
  /** The address without brackets; `''` when the runtime does not say. */
  readonly address: string;
  /** The port as decimal digits; `''` when the runtime does not say. */
  readonly port: string;
}

/**
 * Finds the peer of `request` from what its runtime passes beside it.
 * Receives the handler's second argument: Bun's `Server`, Deno's
 * `ServeHandlerInfo`, a worker's `env`, or nothing.
 */
export type PeerLookup = (request: Request, info: unknown) => Peer | undefined;

/** No peer known: a worker runtime, an in-process call. */
export const UNKNOWN_PEER: Peer = { address: '', port: '' };

/** What Bun passes as the handler's second argument. */
interface BunServer {
  requestIP(request: Request): { address: string; port: number } | null;
}

/** What Deno passes as the handler's second argument. */
interface DenoInfo {
  remoteAddr: { hostname?: string; port?: number; transport?: string };
}

/**
 * The default lookup: Bun's `server.requestIP(request)`, then Deno's
 * `info.remoteAddr`, else an unknown peer (`""`, as for a Unix socket).
 */
export function runtimePeer(request: Request, info: unknown): Peer {
  if (info === null || typeof info !== 'object') return UNKNOWN_PEER;
  if (typeof (info as BunServer).requestIP === 'function') {
    const ip = (info as BunServer).requestIP(request);
    return ip === null ? UNKNOWN_PEER : { address: ip.address, port: String(ip.port) };
  }
  const remote = (info as Partial<DenoInfo>).remoteAddr;
  if (remote !== undefined && typeof remote.hostname === 'string') {
    return { address: remote.hostname, port: remote.port === undefined ? '' : String(remote.port) };
  }
  return UNKNOWN_PEER;
}
