import {
  connectionSpecificProblem,
  isToken,
  majorVersion,
  RequestProblem,
  splitHost,
} from '@tsgi/spec';

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
const DIGITS = /^\d+$/;
/** A peer address as SPEC's `REMOTE_ADDR`: visible ASCII, no brackets. */
const ADDRESS = /^[\x21-\x5a\x5c\x5e-\x7e]+$/;
const PORT = /^\d{1,5}$/;
/** A port 0–65535 in digits (five with leading zeros at most), checked without a number made. */
const PORT_RANGE = '(?:\\d{1,4}|[0-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])';
/** A port as `REMOTE_PORT` holds it: the common case, tested in one pass. */
const PORT_OK = new RegExp(`^${PORT_RANGE}$`);
/** `Host` as SPEC's env.23 has it: a name or a bracketed IPv6 address, then `:port` or nothing. */
const AUTHORITY = /^(?:[^\s/?#@[\]:]+|\[[0-9A-Fa-f:.]+\])(?::\d+)?$/;
/** A valid `Host` in one pass (the common case); `hostProblem` finds what is wrong otherwise. */
const HOST_OK = new RegExp(`^(?:[^\\s/?#@[\\]:]+|\\[[0-9A-Fa-f:.]+\\])(?::${PORT_RANGE})?$`);
/** Digits a safe integer may have without a check: 2^53 − 1 has 16. */
const SAFE_DIGITS = 15;

/**
 * The problem with a gateway's CGI variables, or `undefined` (400 each): a
 * `REQUEST_METHOD` that is not a token, a `SERVER_PROTOCOL` that is not
 * `HTTP/x[.y]`, no `REQUEST_URI`, or one that is not a path (starting with
 * `/`, without a space or control character), a `PATH_INFO` that is not `""`
 * or a path, a `CONTENT_LENGTH` of digits past 2^53 − 1, a `REMOTE_ADDR` with
 * a space, control character or bracket, a `REMOTE_PORT` that is not
 * 0–65535, an `HTTP_HOST` (an empty one too) that is not a host and an
 * optional port 0–65535, or an HTTP/2 request with one of HTTP/1.1's
 * connection-specific fields (SPEC.md env.24; Nginx before 1.31 passes
 * them). So every variable the validator checks is refused
 * here or by the environ builder (a missing `REQUEST_METHOD`, a
 * `CONTENT_LENGTH` that is not digits, `SCRIPT_NAME`, a `PATH_INFO` that is
 * not UTF-8, …), never left to become a 500 from `validate()`.
 *
 * @example
 * cgiVarsProblem(new Map([['REQUEST_METHOD', 'GE T']]))?.message; // 'invalid REQUEST_METHOD "GE T"'
 */
export function cgiVarsProblem(vars: Map<string, string>): RequestProblem | undefined {
  const method = vars.get('REQUEST_METHOD');
  if (method !== undefined && method !== '' && !isToken(method)) {
    return bad(`invalid REQUEST_METHOD ${JSON.stringify(method)}`);
  }
  const protocol = vars.get('SERVER_PROTOCOL');
  if (protocol !== undefined && protocol !== '' && !PROTOCOL.test(protocol)) {
    return bad(`invalid SERVER_PROTOCOL ${JSON.stringify(protocol)}`);
  }
  // Only HTTP/2 and later can be malformed so; HTTP/1.x pays no closure per request.
  if (protocol !== undefined && majorVersion(protocol) >= 2) {
    const malformed = connectionSpecificProblem(protocol, (key) => vars.get(key));
    if (malformed !== undefined) {
      return bad(`malformed request: ${malformed} (RFC 9113 §8.2.2)`);
    }
  }
  const target = vars.get('REQUEST_URI');
  if (target === undefined || target === '') return bad('the gateway sent no REQUEST_URI');
  if (TARGET_BAD.test(target)) return bad('REQUEST_URI holds a space or a control character');
  if (target.charCodeAt(0) !== 47 /* / */) {
    return bad(`REQUEST_URI ${JSON.stringify(target)} is not a path starting with /`);
  }
  const path = vars.get('PATH_INFO');
  if (path !== undefined && path !== '' && path.charCodeAt(0) !== 47 /* / */) {
    return bad(`PATH_INFO ${JSON.stringify(path)} is not a path starting with /`);
  }
  const raw = vars.get('CONTENT_LENGTH');
  const length = raw !== undefined && raw.length > SAFE_DIGITS ? raw.trim() : undefined;
  if (length !== undefined && DIGITS.test(length) && !Number.isSafeInteger(Number(length))) {
    return bad(`CONTENT_LENGTH ${length} is larger than ${Number.MAX_SAFE_INTEGER}`);
  }
  return peerProblem(vars) ?? hostProblem(vars.get('HTTP_HOST'));
}

/** `REMOTE_ADDR` and `REMOTE_PORT`: `""`, or an address and a port as SPEC's env.16 has them. */
function peerProblem(vars: Map<string, string>): RequestProblem | undefined {
  const address = vars.get('REMOTE_ADDR');
  if (address !== undefined && address !== '' && !ADDRESS.test(address)) {
    return bad(`invalid REMOTE_ADDR ${JSON.stringify(address)}`);
  }
  const port = vars.get('REMOTE_PORT');
  if (port !== undefined && port !== '' && !PORT_OK.test(port)) {
    return bad(`invalid REMOTE_PORT ${JSON.stringify(port)}`);
  }
  return undefined;
}

/** `HTTP_HOST`, when present (an empty one too, as over HTTP): a host name or a bracketed IPv6 address, and an optional port. */
function hostProblem(host: string | undefined): RequestProblem | undefined {
  if (host === undefined || HOST_OK.test(host)) return undefined;
  if (!AUTHORITY.test(host)) return bad(host === '' ? 'empty Host header' : 'invalid Host header');
  const { port } = splitHost(host);
  return port === undefined || isPort(port) ? undefined : bad('invalid port in the Host header');
}

function isPort(port: string): boolean {
  return PORT.test(port) && Number(port) <= 65_535;
}

function bad(message: string): RequestProblem {
  return new RequestProblem(400, message);
}
