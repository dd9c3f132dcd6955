import type { InputStream } from '@tsgi/spec';
import { isProblem, RequestProblem } from '@tsgi/spec';
import { environFromVars } from '../cgi/environ.js';
import { logVarsRefusal } from '../cgi/refusal.js';
import { lingeringClose } from '../lifecycle/linger.js';
import { gatewayRequest, type RequestListeners } from '../lifecycle/request-events.js';
import type { ServerContext } from '../options/server-context.js';
import { RequestInput } from '../request/input.js';
import { runApplication } from '../response/run-application.js';
import type { WireSocket } from '../wire/wire-socket.js';
import { type PacketHeader, parseVars } from './packet.js';
import { headerProblem } from './packet-checks.js';
import { UwsgiBody } from './request-body.js';
import { UwsgiResponse } from './response.js';

/**
 * Serves one complete packet whose vars passed their checks: builds the
 * environ (the body, when `CONTENT_LENGTH` announces one, streams from the
 * socket behind `rest`), reports the request to `listeners`, and runs the app
 * with a `UwsgiResponse` that ends the connection when the response is out.
 */
export function servePacket(
  context: ServerContext,
  listeners: RequestListeners,
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
    refusePacket(context, socket, environ, vars, body);
    return;
  }
  // No body and nothing after the packet: nothing can be left unread.
  const clean = body === undefined && rest.byteLength === 0;
  const response = new UwsgiResponse(socket, () => finish(socket, body, clean));
  if (listeners.any) listeners.emit(gatewayRequest(environ, response));
  runApplication(context.app, environ, response, context);
}

/** The vars of a complete packet, or why it is refused (see `packet-checks.ts`). */
export function readVars(
  header: PacketHeader,
  block: Buffer,
): Map<string, string> | RequestProblem {
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
export function refusePacket(
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
