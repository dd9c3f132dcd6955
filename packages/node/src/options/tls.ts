/** Whether and how the server asks a client for its certificate (`certReqs`, `--cert-reqs`). */
export type CertReqs = 'none' | 'optional' | 'required';

/** The values `certReqs` takes. */
export const certReqsValues: readonly CertReqs[] = ['none', 'optional', 'required'];

/**
 * A protocol an HTTP listener speaks (`httpProtocols`, `--http-protocols`):
 * `'h2'` and `'http/1.1'` are what ALPN offers over TLS; `'h2c'` is
 * cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3), for a listener without TLS.
 */
export type HttpProtocol = 'h2' | 'http/1.1' | 'h2c';

/** The values `httpProtocols` takes. */
export const httpProtocolValues: readonly HttpProtocol[] = ['h2', 'http/1.1', 'h2c'];

/**
 * TLS on the HTTP listener (`serve`, `createListener(app, 'http')`, `tsgi serve`):
 * with `certfile` and `keyfile` the listener speaks HTTPS. The files are read
 * when the listener is created, so a new worker of a rolling reload reads them afresh.
 */
export interface TlsOptions {
  /** PEM certificate file (the chain after it, if any). Needs `keyfile`. */
  certfile?: string;
  /** PEM private key file of `certfile`'s certificate (not passphrase-protected). Needs `certfile`. */
  keyfile?: string;
  /** PEM bundle of the CAs that issue client certificates; needs `certReqs` `optional` or `required`. */
  caCerts?: string;
  /**
   * `'none'` asks for no client certificate; `'optional'` asks, and the app sees
   * `SSL_CLIENT_VERIFY` (`SUCCESS`, `NONE` or `FAILED:<reason>`); `'required'`
   * refuses a client without a valid one at the handshake. Default `defaults.certReqs`.
   */
  certReqs?: CertReqs;
  /**
   * Over TLS, what ALPN offers, most preferred first: `'h2'` (HTTP/2) and
   * `'http/1.1'`. A client that offers no ALPN speaks HTTP/1.1, refused when
   * `'http/1.1'` is left out. Default `defaults.httpProtocols` (`['h2', 'http/1.1']`).
   *
   * Without TLS, HTTP/1.1 only, unless `'h2c'` is listed: then a connection
   * that opens with the HTTP/2 preface speaks HTTP/2 (prior knowledge), and
   * any other speaks HTTP/1.1 when `'http/1.1'` is listed too (`['h2c',
   * 'http/1.1']`) or is closed (`['h2c']`). `'h2'` means nothing without TLS.
   */
  httpProtocols?: readonly HttpProtocol[];
  /** HTTP/2: SETTINGS_MAX_CONCURRENT_STREAMS of each session. Default `defaults.http2MaxConcurrentStreams` (100). */
  http2MaxConcurrentStreams?: number;
}
