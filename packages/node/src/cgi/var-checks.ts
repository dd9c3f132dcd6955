import { isToken, RequestProblem } from '@tsgi/spec';

/**
 * Variables that must not come twice with different values: they frame the
 * body or name the request, so two values would let two readers of one
 * request disagree. How other repeats are read is each protocol's own rule.
 */
export const SINGLE_VARS: ReadonlySet<string> = new Set([
  'CONTENT_LENGTH',
  'REQUEST_METHOD',
  'REQUEST_URI',
  'SERVER_PROTOCOL',
  'HTTP_HOST',
]);

const PROTOCOL = /^HTTP\/\d(\.\d)?$/;
/** Control characters and space: never in a request-target as Nginx passes it. */
const TARGET_BAD = /[\x00-\x20\x7f]/;

/**
 * The problem with a gateway's CGI variables, or `undefined` (400 each): a
 * `REQUEST_METHOD` that is not a token, a `SERVER_PROTOCOL` that is not
 * `HTTP/x[.y]`, a `REQUEST_URI` with a space or control character. The
 * environ builder checks the rest (`CONTENT_LENGTH`, `PATH_INFO`, …).
 *
 * @example
 * cgiVarsProblem(new Map([['REQUEST_METHOD', 'GE T']]))?.message; // 'invalid REQUEST_METHOD "GE T"'
 */
export function cgiVarsProblem(vars: Map<string, string>): RequestProblem | undefined {
  const method = vars.get('REQUEST_METHOD');
  if (method !== undefined && method !== '' && !isToken(method)) {
    return new RequestProblem(400, `invalid REQUEST_METHOD ${JSON.stringify(method)}`);
  }
  const protocol = vars.get('SERVER_PROTOCOL');
  if (protocol !== undefined && protocol !== '' && !PROTOCOL.test(protocol)) {
    return new RequestProblem(400, `invalid SERVER_PROTOCOL ${JSON.stringify(protocol)}`);
  }
  const target = vars.get('REQUEST_URI');
  if (target !== undefined && TARGET_BAD.test(target)) {
    return new RequestProblem(400, 'REQUEST_URI holds a space or a control character');
  }
  return undefined;
}
