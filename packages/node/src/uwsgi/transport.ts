import { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import { RequestProblem } from '@tsgi/spec';
import { gatewayStops } from '../lifecycle/gateway-connections.js';
import { RequestListeners } from '../lifecycle/request-events.js';
import type { Transport } from '../lifecycle/transport.js';
import { defaults } from '../options/defaults.js';
import type { ServerOptions } from '../options/options.js';
import { createServerContext } from '../options/server-context.js';
import { acceptConnections } from '../wire/accept.js';
import { type PacketHandler, UwsgiConnection } from './connection.js';
import { varsProblem } from './packet-checks.js';
import { readVars, refusePacket, servePacket } from './serve-packet.js';
import { DeadlineSweep } from './sweep.js';

/**
 * The uwsgi protocol as a transport: a configured, not yet listening
 * `net.Server` that speaks what Nginx's `uwsgi_pass` sends, one request per
 * connection (a 4-byte header, the CGI vars, then `CONTENT_LENGTH` body
 * bytes) answered with an HTTP/1.1 response on the same connection, which
 * then closes. The app runs through the same runner as over HTTP, so limits,
 * streaming, backpressure, errors and `close()` behave the same. A packet cut
 * short or too slow closes the connection without an answer; a faulty one
 * gets a 400 or 501 (see `packet-checks.ts`). Every connection carries a
 * request (uwsgi has no idle keep-alive), one whose packet is still arriving
 * included, so a stop closes none early.
 *
 * Timeouts: `headersTimeout` for the packet, `idleTimeout` for a request
 * that sees no traffic (`sweep.ts`). `trustProxy` is ignored: the client
 * address comes from Nginx's `REMOTE_ADDR`.
 */
export function uwsgiTransport(app: Application, options: ServerOptions): Transport {
  const context = createServerContext(app, options);
  const packetTimeout = options.headersTimeout ?? defaults.headersTimeout;
  const idleTimeout = options.idleTimeout ?? defaults.idleTimeout;
  const connections = new Set<UwsgiConnection>();
  const sweep = new DeadlineSweep(connections, packetTimeout, idleTimeout);
  const listeners = new RequestListeners();
  const server = new Server({ allowHalfOpen: true, pauseOnConnect: false });
  const handler: PacketHandler = {
    onPacket(connection, modifier1, modifier2, block, rest) {
      const socket = connection.socket;
      const vars = readVars({ modifier1, size: block.byteLength, modifier2 }, block);
      if (vars instanceof RequestProblem) {
        refusePacket(context, socket, vars, new Map(), undefined);
        return;
      }
      const problem = varsProblem(vars, rest.byteLength);
      if (problem !== undefined) {
        refusePacket(context, socket, problem, vars, undefined);
        return;
      }
      servePacket(context, listeners, socket, vars, rest);
    },
  };
  acceptConnections(server, options.sockets, (socket) => {
    new UwsgiConnection(socket, handler, sweep, connections);
  });
  return {
    protocol: 'uwsgi',
    server,
    onRequest: (listener) => listeners.add(listener),
    ...gatewayStops(server, context, connections),
  };
}
