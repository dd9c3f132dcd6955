import type { Environ, InputStream, RequestProblem } from '@tsgi/spec';
import { environFromVars } from '../cgi/environ.js';
import type { ServerContext } from '../options/server-context.js';
import { RequestInput } from '../request/input.js';
import type { WireSocket } from '../wire/wire-socket.js';
import type { RecordParser } from './record-parser.js';
import { declaredLength, type FastcgiRequest } from './request.js';
import { FastcgiBody } from './request-body.js';

/**
 * The environ of a FastCGI request whose params are complete, or the problem
 * that refuses it (400). When a body follows (a `CONTENT_LENGTH` above 0, or
 * none and no empty `FCGI_STDIN` already next in `parser`), the request gets
 * its `FastcgiBody`, fed by the `FCGI_STDIN` records to come, which unblocks
 * `parser` when its consumer wants more; `tsgi.input` reads it.
 */
export function requestEnviron(
  request: FastcgiRequest,
  vars: Map<string, string>,
  context: ServerContext,
  socket: WireSocket,
  parser: RecordParser,
): Environ | RequestProblem {
  const declared = declaredLength(vars);
  let input: InputStream | undefined;
  if (declared > 0 || (declared === -1 && !parser.stdinEndsNext(request.id))) {
    const body = new FastcgiBody(declared, () => parser.unblock());
    request.body = body;
    input = new RequestInput(body, declared, context.options.bodyLimit) as InputStream;
  }
  return environFromVars(
    vars,
    context,
    { localAddress: socket.localAddress, localPort: socket.localPort },
    input,
    'fastcgi',
  );
}
