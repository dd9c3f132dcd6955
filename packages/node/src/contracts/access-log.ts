import type { Environ } from '@tsgi/spec';

/** Where the access log goes and in which shape. */
export type AccessLogFormat = 'common' | 'json';

/**
 * What a log line shows of a request. An environ is one; a request refused
 * before it had one gets `''` for what could not be read.
 */
export type LogRequest = Pick<
  Environ,
  'REQUEST_METHOD' | 'REQUEST_URI' | 'SERVER_PROTOCOL' | 'REMOTE_ADDR'
> & {
  HTTP_USER_AGENT?: string | undefined;
  /** The connection's scheme (`https` on TLS); `http` when absent. */
  'tsgi.url_scheme'?: string;
  /** Why the server was draining when the response ended (`reload`), closing its connection. */
  drain?: string;
};

/**
 * What a server records each request into, once its response has ended (or
 * was aborted): `status` is what was sent, `bytes` the body bytes written,
 * `startedAt` the `performance.now()` at which the request reached the
 * server; `refused` is true for a request answered before the app. The
 * access log is one, the metrics recorder another.
 */
export type AccessLogger = (
  environ: LogRequest,
  status: number,
  bytes: number,
  startedAt: number,
  refused?: boolean,
) => void;
