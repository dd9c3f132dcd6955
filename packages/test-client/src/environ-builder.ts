import {
  type Environ,
  type EnvironContext,
  type ErrorStream,
  buildEnviron as finishEnviron,
  type InputStream,
  isProblem,
  type RequestHead,
  type RequestProblem,
} from '@tsgi/spec';
import type { OutgoingRequest } from './outgoing-request.js';
import { decodePath } from './request-target.js';

/** The peer a server would see for in-process requests. */
export const REMOTE_ADDR = '127.0.0.1';
/** A fixed client port, so environs are the same from run to run. */
export const REMOTE_PORT = '49152';

/**
 * The environ a server would build for this request, the equivalent of
 * `wsgiref.util.setup_testing_defaults`, built by `@tsgi/spec`'s
 * `buildEnviron`, the same function `@tsgi/node` uses: every header becomes
 * the key the server would give (names holding `_` are dropped, repeats
 * joined with `", "`, `Cookie` with `"; "`), `CONTENT_LENGTH` and a chunked
 * `Transfer-Encoding` follow the body as they would on the wire; then the
 * overrides (an `undefined` override deletes the key). A request the server
 * would refuse (a bad `Host`, say) comes back as its `RequestProblem`.
 */
export function buildEnviron(
  request: OutgoingRequest,
  scriptName: string,
  input: InputStream,
  errors: ErrorStream,
): Environ | RequestProblem {
  const { origin, target } = request.location;
  const q = target.indexOf('?');
  // Fails the test with a clear TypeError: such a path has no PATH_INFO.
  if (target !== '*') decodePath(q === -1 ? target : target.slice(0, q));
  const context: EnvironContext = {
    options: {
      scriptName,
      maxUrlLength: Number.POSITIVE_INFINITY,
      maxHeadersCount: Number.POSITIVE_INFINITY,
      multiprocess: false,
    },
    errors,
    trust: undefined,
  };
  const head: RequestHead = {
    method: request.method,
    target,
    protocol: 'HTTP/1.1',
    headers: wireHeaders(request, origin.host),
    remoteAddr: REMOTE_ADDR,
    remotePort: REMOTE_PORT,
    scheme: origin.scheme,
    openInput: () => input,
  };
  const environ = finishEnviron(head, context);
  if (isProblem(environ)) return environ;
  const overrides = request.environ;
  if (overrides !== undefined) {
    for (const key of Object.keys(overrides)) {
      const value = overrides[key];
      if (value === undefined) delete environ[key];
      else environ[key] = value;
    }
  }
  return environ;
}

/** The header fields as a client would send them: `Host` first, then the request's, then body framing. */
function wireHeaders(request: OutgoingRequest, host: string): string[] {
  const raw: string[] = [];
  let hasHost = false;
  let hasLength = false;
  let hasEncoding = false;
  for (const [name] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    else if (lower === 'content-length') hasLength = true;
    else if (lower === 'transfer-encoding') hasEncoding = true;
  }
  if (!hasHost) raw.push('Host', host);
  for (const [name, value] of request.headers) raw.push(name, value);
  const body = request.body;
  if (body !== undefined && !hasLength) {
    if (body instanceof Uint8Array) raw.push('Content-Length', String(body.byteLength));
    else if (!hasEncoding) raw.push('Transfer-Encoding', 'chunked');
  }
  return raw;
}
