import { Server } from 'node:net';
import type { Application, InputStream } from '@tsgi/spec';
import { isProblem, RequestProblem } from '@tsgi/spec';
import { environFromVars } from '../cgi/environ.js';
import { logVarsRefusal } from '../cgi/refusal.js';
import { defaults } from '../defaults.js';
import { RequestInput } from '../http/input.js';
import { type DrainableConnections, markClosing } from '../listener/drain.js';
import { lingeringClose } from '../listener/linger.js';
import { shutdown } from '../listener/shutdown.js';
import type { ServerOptions } from '../options.js';
import { runApplication } from '../response/run-application.js';
import { createServerContext, type ServerContext } from '../server-context.js';
import { acceptConnections } from '../wire/accept.js';
import type { WireSocket } from '../wire/wire-socket.js';
import { type PacketHandler, UwsgiConnection } from './connection.js';
import { type PacketHeader, parseVars } from './packet.js';
import { headerProblem, varsProblem } from './packet-checks.js';
import { UwsgiBody } from './request-body.js';
import { UwsgiResponse } from './response.js';
import { DeadlineSweep } from './sweep.js';

/**
 * Options of the uwsgi listener: the handler options (limits, access log,
 * errors, `multiprocess`, `scriptName`) plus the timeouts that apply.
 * `trustProxy` is ignored: the client address comes from Nginx's `REMOTE_ADDR`.
 */
export interface UwsgiServerOptions extends ServerOptions {}

/**
 * A uwsgi server made by `createUwsgiServer`: a `net.Server` that also emits
 * `'request'` with `(environ, response: UwsgiResponse)` for each request the
 * application runs. Most callers want `createListener(app, 'uwsgi')`, whose
 * `'request'` event is the same for every protocol.
 */
export type UwsgiServer = Server;

const contexts = new WeakMap<
  Server,
  { context: ServerContext; connections: Set<UwsgiConnection> }
>();

/**
 * A configured, not yet listening `net.Server` that speaks the uwsgi protocol
 * Nginx's `uwsgi_pass` sends: one request per connection (a 4-byte header, the
 * CGI vars, then `CONTENT_LENGTH` body bytes) answered with an HTTP/1.1
 * response on the same connection, which then closes. The app runs through the
 * same runner as the HTTP server, so limits, streaming, backpressure, errors
 * and `close()` behave the same. A packet cut short or too slow closes the
 * connection without an answer; a faulty one gets a 400 or 501 (see
 * `packet-checks.ts`).
 *
 * @example
 * const server = createUwsgiServer(app, { bodyLimit: 10 * 1024 * 1024 });
 * server.listen('/run/tsgi/app.sock');
 */
export function createUwsgiServer(app: Application, options: UwsgiServerOptions = {}): UwsgiServer {
  const context = createServerContext(app, options);
  const packetTimeout = options.headersTimeout ?? defaults.headersTimeout;
  const idleTimeout = options.idleTimeout ?? defaults.idleTimeout;
  const connections = new Set<UwsgiConnection>();
  const sweep = new DeadlineSweep(connections, packetTimeout, idleTimeout);
  const server = new Server({ allowHalfOpen: true, pauseOnConnect: false }) as UwsgiServer;
  contexts.set(server, { context, connections });
  const handler: PacketHandler = {
    onPacket(connection, modifier1, modifier2, block, rest) {
      const socket = connection.socket;
      const vars = readVars({ modifier1, size: block.byteLength, modifier2 }, block);
      if (vars instanceof RequestProblem) {
        refuse(context, socket, vars, new Map(), undefined);
        return;
      }
      const problem = varsProblem(vars, rest.byteLength);
      if (problem !== undefined) {
        refuse(context, socket, problem, vars, undefined);
        return;
      }
      handle(server, context, app, socket, vars, rest);
    },
  };
  acceptConnections(server, options.sockets, (socket) => {
    new UwsgiConnection(socket, handler, sweep, connections);
  });
  return server;
}

function handle(
  server: UwsgiServer,
  context: ServerContext,
  app: Application,
  socket: WireSocket,
  vars: Map<string, string>,
  rest: Buffer,
): void {
  const lengthVar = vars.get('CONTENT_LENGTH');
  const declared = lengthVar === undefined || lengthVar === '' ? 0 : Number(lengthVar);
  let body: UwsgiBody | undefined;
  let input: InputStream | undefined;
  if (Number.isSafeInteger(declared) && declared > 0) {
    body = new UwsgiBody(socket, declared, rest);
    input = new RequestInput(body, declared, context.options.bodyLimit) as InputStream;
  }
  const environ = environFromVars(
    vars,
    context,
    socket, // its localAddress and localPort (a getsockname call) only when the vars lack a server name
    input,
  );
  if (isProblem(environ)) {
    refuse(context, socket, environ, vars, body);
    return;
  }
  // No body and nothing after the packet: nothing can be left unread.
  const clean = body === undefined && rest.byteLength === 0;
  const response = new UwsgiResponse(socket, () => finish(socket, body, clean));
  if (server.listenerCount('request') > 0) server.emit('request', environ, response);
  runApplication(app, environ, response, context);
}

/** The vars of a complete packet, or why it is refused (see `packet-checks.ts`). */
function readVars(header: PacketHeader, block: Buffer): Map<string, string> | RequestProblem {
  const problem = headerProblem(header);
  if (problem !== undefined) return problem;
  let vars: Map<string, string>;
  try {
    vars = parseVars(block);
  } catch (error) {
    return new RequestProblem(400, `malformed uwsgi packet: ${(error as Error).message}`);
  }
  return vars;
}

/** Answers a request the app never sees with a short text, logs it, and closes. */
function refuse(
  context: ServerContext,
  socket: WireSocket,
  problem: RequestProblem,
  vars: Map<string, string>,
  body: UwsgiBody | undefined,
): void {
  const response = new UwsgiResponse(socket, () => finish(socket, body, false));
  response.abort(problem.status, problem.message);
  logVarsRefusal(context, problem, vars);
}

/**
 * Ends the connection once the response is written. After a `clean` packet
 * (no body, nothing past it: Nginx's GET, HEAD, DELETE) nothing is left to
 * read, so the connection closes as soon as the response is out, as uWSGI
 * does, without waiting for the peer's FIN; a peer that still sends bytes
 * then breaks the protocol and meets a reset. Otherwise (a body, possibly
 * unread, or a refused packet) it closes the way every listener ends a
 * connection with bytes possibly in flight: `lingeringClose`, which reads and
 * drops until the peer closes and cuts a peer that does not after `LINGER_MS`.
 */
function finish(socket: WireSocket, body: UwsgiBody | undefined, clean: boolean): void {
  if (clean) {
    socket.destroySoon();
    return;
  }
  if (body !== undefined && body.pending > 0) body.destroy();
  lingeringClose.call(socket);
  socket.resume();
}

/**
 * The connections of a server made by `createUwsgiServer`, for the shared
 * shutdown and drain: every connection carries a request (uwsgi has no idle
 * keep-alive), one accepted whose packet is still arriving included, so none
 * is closed early; `destroyAll` cuts what is left.
 */
export function uwsgiConnections(server: Server): DrainableConnections {
  const state = contexts.get(server);
  return {
    markClosing: (drain) => {
      if (state !== undefined) markClosing(state.context, drain);
    },
    closeIdle: () => {},
    destroyAll: () => {
      for (const connection of state?.connections ?? []) connection.socket.destroy();
    },
    stopAccepting: (done) => void server.close(done),
    *sockets() {
      for (const connection of state?.connections ?? []) yield connection.socket;
    },
  };
}

/**
 * Stops a uwsgi server the way every listener stops (`Listener.close`): no new
 * connections; each one already accepted is served, and whatever is left after
 * `timeout` ms is destroyed. Resolves once every connection is gone.
 */
export function closeUwsgiServer(
  server: Server,
  timeout: number = defaults.closeTimeout,
): Promise<void> {
  return shutdown(server, uwsgiConnections(server), timeout);
}
