/**
 * The request methods OpenTelemetry's HTTP semantic conventions know by name
 * (RFC 9110's, PATCH and QUERY); telemetry records any other as
 * `HTTP_OTHER_METHOD`, so made-up methods cannot grow a label's values.
 */
export const HTTP_KNOWN_METHODS: readonly string[] = [
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
];

/** The conventions' value for a method they do not know. */
export const HTTP_OTHER_METHOD = '_OTHER';

const KNOWN = new Set(HTTP_KNOWN_METHODS);

/** `http.request.method` by the conventions: `method` when known, else `HTTP_OTHER_METHOD`. */
export function telemetryMethod(method: string): string {
  return KNOWN.has(method) ? method : HTTP_OTHER_METHOD;
}
