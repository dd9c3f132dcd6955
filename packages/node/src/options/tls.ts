/** Whether and how the server asks a client for its certificate (`certReqs`, `--cert-reqs`). */
export type CertReqs = 'none' | 'optional' | 'required';

/** The values `certReqs` takes. */
export const certReqsValues: readonly CertReqs[] = ['none', 'optional', 'required'];

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
}
