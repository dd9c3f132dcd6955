import type { IncomingMessage } from 'node:http';
import { type Environ, RequestProblem } from '@tsgi/spec';

/**
 * RFC 9112 checks llhttp leaves to the server, run on every request once its
 * environ is built (so they read a few environ keys instead of the raw
 * header list). Each returns a `RequestProblem` that `refuse()` answers with
 * `Connection: close`; `undefined` when the request is fine. The common
 * request (HTTP/1.1, origin-form, no `Transfer-Encoding`) costs two number
 * comparisons and two property reads. (A fragment in the target is
 * refused by `buildEnviron`.)
 *
 * @example
 * const problem = framingProblem(req, environ);
 * if (problem !== undefined) refuse(req, res, problem, context);
 */
export function framingProblem(req: IncomingMessage, environ: Environ): RequestProblem | undefined {
  // RFC 9110 §6.2, §15.6.6: llhttp reads HTTP/0.9 and HTTP/2.0 request lines
  // as if they were HTTP/1.x; this server speaks only 1.0 and 1.1.
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor > 1) {
    return new RequestProblem(505, `HTTP/${req.httpVersion} is not supported: use HTTP/1.1`);
  }
  const target = req.url ?? '';
  if (target.charCodeAt(0) === 42 /* * */ && environ.REQUEST_METHOD !== 'OPTIONS') {
    // RFC 9112 §3.2.4: the asterisk-form is only for a server-wide OPTIONS.
    return new RequestProblem(400, `the target * is only allowed with OPTIONS`);
  }
  const codings = environ.HTTP_TRANSFER_ENCODING;
  if (codings !== undefined) {
    const problem = transferCodingProblem(codings, req.httpVersionMinor);
    if (problem !== undefined) return problem;
  }
  // RFC 9110 §4.2.1, RFC 9112 §3.2: an http URI has a non-empty host, so an
  // empty Host is an invalid one (SPEC env.23); a repeated Host ("a, b") is
  // refused by the Host parser.
  if (environ.HTTP_HOST === '') {
    return new RequestProblem(400, 'the Host header is empty');
  }
  return undefined;
}

/**
 * RFC 9112 §6.1 and §6.3: `Transfer-Encoding` in an HTTP/1.0 request is
 * faulty framing (400); in HTTP/1.1 the final coding must be `chunked`,
 * once (400), and no other coding is implemented here (501).
 */
function transferCodingProblem(value: string, minor: number): RequestProblem | undefined {
  if (minor === 0) {
    return new RequestProblem(400, 'Transfer-Encoding is not allowed in an HTTP/1.0 request');
  }
  const codings = value.split(',').map((coding) => coding.trim().toLowerCase());
  if (codings[codings.length - 1] !== 'chunked') {
    return new RequestProblem(400, 'the last Transfer-Encoding of a request must be chunked');
  }
  if (codings.length === 1) return undefined;
  const others = codings.slice(0, -1);
  if (others.includes('chunked')) {
    return new RequestProblem(400, 'chunked must not be applied more than once');
  }
  return new RequestProblem(501, `transfer coding ${JSON.stringify(others[0])} is not implemented`);
}
