import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/** CGI variables of one connection's client certificate, as `[name, value]` pairs. */
export type ClientVariables = ReadonlyArray<readonly [string, string]>;

const variables = new WeakMap<object, ClientVariables>();

/** A distinguished name in RFC 2253 form (`CN=client,O=Example`) from Node's one-RDN-per-line form. */
function rfc2253(name: string): string {
  // Node prints the RDNs most general first, one per line, values escaped as RFC 2253
  // says; RFC 2253 writes them most specific first, separated by commas.
  return name.split('\n').reverse().join(',');
}

/**
 * The client certificate variables of a TLS connection whose server asked for
 * one, under Apache mod_ssl's names: `SSL_CLIENT_VERIFY` (`SUCCESS`, `NONE`, or
 * `FAILED:<reason>`), and for a verified certificate `SSL_CLIENT_S_DN`,
 * `SSL_CLIENT_I_DN` (RFC 2253), `SSL_CLIENT_M_SERIAL` (hex),
 * `SSL_CLIENT_V_START` and `SSL_CLIENT_V_END` (`Dec  7 10:00:00 2026 GMT`).
 */
export function clientVariables(socket: TLSSocket): ClientVariables {
  const certificate: X509Certificate | undefined = socket.getPeerX509Certificate();
  if (certificate === undefined) return [['SSL_CLIENT_VERIFY', 'NONE']];
  if (!socket.authorized) {
    return [['SSL_CLIENT_VERIFY', `FAILED:${String(socket.authorizationError)}`]];
  }
  return [
    ['SSL_CLIENT_VERIFY', 'SUCCESS'],
    ['SSL_CLIENT_S_DN', rfc2253(certificate.subject)],
    ['SSL_CLIENT_I_DN', rfc2253(certificate.issuer)],
    ['SSL_CLIENT_M_SERIAL', certificate.serialNumber.toUpperCase()],
    ['SSL_CLIENT_V_START', certificate.validFrom],
    ['SSL_CLIENT_V_END', certificate.validTo],
  ];
}

/** Keeps `socket`'s client certificate variables for the requests it carries. */
export function rememberClient(socket: TLSSocket): void {
  variables.set(socket, clientVariables(socket));
}

/** The client certificate variables kept for `socket`; undefined when its server asked for none. */
export function clientVariablesOf(socket: object): ClientVariables | undefined {
  return variables.get(socket);
}
