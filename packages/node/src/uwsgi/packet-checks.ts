import { RequestProblem } from '@tsgi/spec';
import { cgiVarsProblem } from '../cgi/var-checks.js';
import type { PacketHeader } from './packet.js';

/**
 * `modifier1` values served: 0, the WSGI-style request Nginx sends by
 * default, and 30 (`uwsgi_modifier1 30`: `PATH_INFO` still holds
 * `SCRIPT_NAME`, which the environ builder strips either way).
 */
const MODIFIERS1: ReadonlySet<number> = new Set([0, 30]);

/**
 * The problem with a packet's fixed header, or `undefined`: a `modifier1`
 * other than 0 or 30, or a `modifier2` other than 0, asks for a kind of
 * request this server does not implement (501).
 *
 * @example
 * const problem = headerProblem(readHeader(buffer)!);
 */
export function headerProblem(header: PacketHeader): RequestProblem | undefined {
  if (!MODIFIERS1.has(header.modifier1)) {
    return new RequestProblem(
      501,
      `uwsgi modifier1 ${header.modifier1} is not supported (only 0 and 30)`,
    );
  }
  if (header.modifier2 !== 0) {
    return new RequestProblem(501, `uwsgi modifier2 ${header.modifier2} is not supported (only 0)`);
  }
  return undefined;
}

/**
 * The problem with a packet's vars, or `undefined` (400 each): those of
 * `cgiVarsProblem` (method, protocol, request-target, path, peer, host), or more
 * body bytes already received than `CONTENT_LENGTH` announces (`extra`: the bytes that came with the
 * packet; one request per connection, so nothing may follow the body).
 *
 * @example
 * const problem = varsProblem(vars, rest.byteLength);
 */
export function varsProblem(vars: Map<string, string>, extra: number): RequestProblem | undefined {
  const problem = cgiVarsProblem(vars);
  if (problem !== undefined) return problem;
  // A CONTENT_LENGTH that is not digits (NaN here) is the environ builder's 400.
  const length = vars.get('CONTENT_LENGTH') ?? '';
  if (extra > (length === '' ? 0 : Number(length))) {
    return new RequestProblem(400, 'more bytes after the packet than its CONTENT_LENGTH');
  }
  return undefined;
}
