import type { Server } from 'node:net';
import type { WireSocket } from '../wire/wire-socket.js';
import { type Closable, markClosing } from './closing.js';
import type { Transport } from './transport.js';

/** A gateway connection as the shared stop sees it. */
export interface GatewayConnection {
  readonly socket: WireSocket;
  /** Ends the connection now if it carries no request; otherwise after its response. */
  closeIfIdle?(): void;
}

/**
 * The stop methods of a gateway transport (uwsgi, FastCGI), over the live
 * `connections` of its `server`: the parts of {@link Transport} that the
 * shared `shutdown` and `drain` call. `closeIdle` asks each connection that
 * knows idleness (FastCGI's kept-alive ones); a uwsgi connection always
 * carries a request, so none is closed early.
 */
export function gatewayStops(
  server: Server,
  context: Closable,
  connections: ReadonlySet<GatewayConnection>,
): Pick<Transport, 'markClosing' | 'closeIdle' | 'destroyAll' | 'stopAccepting' | 'sockets'> {
  return {
    markClosing: (reason) => markClosing(context, reason),
    closeIdle: () => {
      for (const connection of connections) connection.closeIfIdle?.();
    },
    destroyAll: () => {
      for (const connection of connections) connection.socket.destroy();
    },
    stopAccepting: (done) => void server.close(done),
    *sockets() {
      for (const connection of connections) yield connection.socket;
    },
  };
}
