import { RecordType, VERSION } from './record.js';

/** The application record types a web server sends a Responder. */
const FROM_WEB_SERVER: ReadonlySet<number> = new Set([
  RecordType.BeginRequest,
  RecordType.AbortRequest,
  RecordType.Params,
  RecordType.Stdin,
]);

/** Names of the record types, for log lines. */
const NAMES: Record<number, string> = {
  1: 'FCGI_BEGIN_REQUEST',
  2: 'FCGI_ABORT_REQUEST',
  3: 'FCGI_END_REQUEST',
  4: 'FCGI_PARAMS',
  5: 'FCGI_STDIN',
  6: 'FCGI_STDOUT',
  7: 'FCGI_STDERR',
  8: 'FCGI_DATA',
  9: 'FCGI_GET_VALUES',
  10: 'FCGI_GET_VALUES_RESULT',
  11: 'FCGI_UNKNOWN_TYPE',
};

/** A record type's name (`FCGI_STDIN`), or `type 42` for one the specification does not define. */
function typeName(type: number): string {
  return NAMES[type] ?? `type ${type}`;
}

/**
 * Why a record with this header cannot be taken at all, or `undefined`: the
 * connection is then closed and the reason logged, since nothing after a
 * record the stream cannot explain can be trusted. Checked before the
 * record's state (which request it belongs to) is looked at:
 *
 * - the version must be 1 (`FCGI_VERSION_1`);
 * - a management record (request id 0) may be of any type, and one not
 *   understood is answered with `FCGI_UNKNOWN_TYPE`, but the types of
 *   application records never come with id 0;
 * - a management type never comes with a request id other than 0;
 * - an application record must be of a type a web server sends a Responder:
 *   `FCGI_DATA` is the Filter role's, and `FCGI_STDOUT`, `FCGI_STDERR`,
 *   `FCGI_END_REQUEST` travel the other way;
 * - `FCGI_BEGIN_REQUEST` holds exactly 8 bytes.
 *
 * @example
 * recordProblem({ version: 2, type: 1, requestId: 1, contentLength: 8, paddingLength: 0 });
 * // 'FastCGI version 2 (only 1 exists)'
 */
export function recordProblem(header: {
  readonly version: number;
  readonly type: number;
  readonly requestId: number;
  readonly contentLength: number;
}): string | undefined {
  if (header.version !== VERSION) return `FastCGI version ${header.version} (only 1 exists)`;
  const name = typeName(header.type);
  if (header.requestId === 0) {
    if (header.type >= RecordType.BeginRequest && header.type <= RecordType.Data) {
      return `${name} with request id 0 (application records need an id)`;
    }
    return undefined;
  }
  if (header.type > RecordType.Data) {
    return `${name} with request id ${header.requestId} (management records have id 0)`;
  }
  if (!FROM_WEB_SERVER.has(header.type)) {
    return header.type === RecordType.Data
      ? 'FCGI_DATA (the Filter role is not served)'
      : `${name} from the web server (never sent to an application)`;
  }
  if (header.type === RecordType.BeginRequest && header.contentLength !== 8) {
    return `FCGI_BEGIN_REQUEST of ${header.contentLength} bytes (it has 8)`;
  }
  return undefined;
}
