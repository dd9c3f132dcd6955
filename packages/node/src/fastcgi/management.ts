import { decodeParams, encodeParams } from './params.js';
import { RecordType, record, unknownType } from './record.js';

/**
 * The answer to a management record (request id 0), the FastCGI
 * specification's section 4: `FCGI_GET_VALUES` gets `FCGI_GET_VALUES_RESULT`
 * with the values this listener knows (`FCGI_MPXS_CONNS` is always 0: one
 * request at a time per connection; `FCGI_MAX_CONNS` and `FCGI_MAX_REQS` only
 * when the server has a `maxConnections` limit), any other type
 * `FCGI_UNKNOWN_TYPE`. Throws `MalformedRecordError` on a malformed query.
 *
 * @example
 * socket.write(managementAnswer(RecordType.GetValues, content, server.maxConnections));
 */
export function managementAnswer(
  type: number,
  content: Uint8Array,
  maxConnections: number | undefined,
): Buffer {
  if (type !== RecordType.GetValues) return unknownType(type);
  const known: Array<[string, string]> = [];
  for (const name of decodeParams(content).keys()) {
    if (name === 'FCGI_MPXS_CONNS') known.push([name, '0']);
    else if (
      (name === 'FCGI_MAX_CONNS' || name === 'FCGI_MAX_REQS') &&
      Number.isFinite(maxConnections)
    ) {
      known.push([name, String(maxConnections)]);
    }
  }
  return record(RecordType.GetValuesResult, 0, encodeParams(known));
}
